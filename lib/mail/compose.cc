#include "mail/compose.h"

#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <gmime/gmime.h>

#include "core/address.h"

namespace tacit::mail {
namespace {

void EnsureGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct Unref {
  void operator()(gpointer p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, Unref>;

bool ValidUtf8(std::string_view s) {
  return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr) != 0;
}

GMimePart* MakeAttachment(const Attachment& a) {
  std::string type = a.content_type;
  std::string params;
  if (size_t semi = type.find(';'); semi != std::string::npos) {
    params = type.substr(semi + 1);
    type.resize(semi);
  }
  std::string major = type.substr(0, type.find('/'));
  std::string minor =
      type.find('/') == std::string::npos ? "octet-stream" : type.substr(type.find('/') + 1);
  GMimePart* part = g_mime_part_new_with_type(major.c_str(), minor.c_str());
  if (params.find("charset=utf-8") != std::string::npos) {
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
  }
  g_mime_part_set_filename(part, a.file_name.c_str());
  g_mime_object_set_disposition(GMIME_OBJECT(part), "attachment");
  GPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(a.bytes.data(), static_cast<gsize>(a.bytes.size())));
  GPtr<GMimeDataWrapper> content(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, content.get());
  g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
  return part;
}

// A Message-ID's "left@right" (without the angle brackets): printable ASCII,
// one '@', nothing that could end the header or the brackets around it.
bool ValidMessageIdText(std::string_view e) {
  size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= e.size()) return false;
  if (e.find('@', at + 1) != std::string_view::npos) return false;
  for (unsigned char c : e) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return e.find_first_of("<>,;:\"()[]\\") == std::string_view::npos;
}

}  // namespace

bool HeaderSafe(std::string_view text) {
  if (!ValidUtf8(text)) return false;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::string DomainOf(std::string_view address) {
  size_t at = address.rfind('@');
  if (at == std::string_view::npos || at + 1 >= address.size()) return "localhost";
  return std::string(address.substr(at + 1));
}

std::string MakeMessageId(std::string_view kind, std::string_view consultation,
                          std::string_view unit, std::string_view slot, std::string_view domain) {
  // Keep what is safe in an id-left: letters, digits, '-' and '.'; the slot's
  // "2026-02-06 08:00" becomes "20260206T0800".
  auto clean = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.') {
        out += c;
      } else if (c == ' ' || c == 'T') {
        out += 'T';
      }
    }
    return out;
  };
  std::string s;
  for (char c : slot) {
    if (c >= '0' && c <= '9') {
      s += c;
    } else if (c == ' ') {
      s += 'T';
    }
  }
  if (s.empty()) s = clean(slot);
  std::string id = fmt::format("tacit.{}.{}", clean(kind), clean(consultation));
  if (!unit.empty()) id += "." + clean(unit);
  id += "." + s;
  return fmt::format("{}@{}", id, clean(domain).empty() ? "localhost" : clean(domain));
}

Result<std::string> ComposeMessage(const OutgoingMessage& m) {
  auto bad = [](std::string what) { return Status::BadInput(std::move(what)); };
  if (!HeaderSafe(m.from.name)) return bad("from: the name has a line break or control character");
  if (!IsMailAddress(m.from.address))
    return bad(fmt::format("from: '{}' is not an address", m.from.address));
  if (m.to.empty()) return bad("no recipient");
  for (const Mailbox& t : m.to) {
    if (!HeaderSafe(t.name)) return bad("to: a name has a line break or control character");
    if (!IsMailAddress(t.address)) return bad(fmt::format("to: '{}' is not an address", t.address));
  }
  if (!m.reply_to.empty() && !IsMailAddress(m.reply_to)) {
    return bad(fmt::format("reply-to: '{}' is not an address", m.reply_to));
  }
  if (!HeaderSafe(m.subject)) return bad("subject has a line break or control character");
  if (!ValidMessageIdText(m.message_id)) return bad("message-id must look like local@domain");
  if (!ValidUtf8(m.body)) return bad("body is not valid UTF-8");

  EnsureGMime();
  GPtr<GMimeMessage> msg(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_FROM,
                             m.from.name.empty() ? nullptr : m.from.name.c_str(),
                             m.from.address.c_str());
  for (const Mailbox& t : m.to) {
    g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_TO,
                               t.name.empty() ? nullptr : t.name.c_str(), t.address.c_str());
  }
  if (!m.reply_to.empty()) {
    g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_REPLY_TO, nullptr, m.reply_to.c_str());
  }
  g_mime_message_set_subject(msg.get(), m.subject.c_str(), "utf-8");
  g_mime_message_set_message_id(msg.get(), m.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(m.date.time_since_epoch().count());
  g_mime_message_set_date(msg.get(), date);
  g_date_time_unref(date);
  GMimeObject* obj = GMIME_OBJECT(msg.get());
  if (m.auto_generated) {
    g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", nullptr);
    // Asks Exchange and similar servers not to answer with out-of-office notes.
    g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", nullptr);
  }
  g_mime_object_set_header(obj, "Content-Language", "vi", nullptr);

  GPtr<GMimeTextPart> text(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_text(text.get(), m.body.c_str());
  g_mime_text_part_set_charset(text.get(), "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(text.get()), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  if (m.attachments.empty()) {
    g_mime_message_set_mime_part(msg.get(), GMIME_OBJECT(text.get()));
  } else {
    GPtr<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
    g_mime_multipart_add(mixed.get(), GMIME_OBJECT(text.get()));
    for (const Attachment& a : m.attachments) {
      GPtr<GMimePart> part(MakeAttachment(a));
      g_mime_multipart_add(mixed.get(), GMIME_OBJECT(part.get()));
    }
    g_mime_message_set_mime_part(msg.get(), GMIME_OBJECT(mixed.get()));
  }
  GMimeFormatOptions* options = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  char* raw = g_mime_object_to_string(obj, options);
  g_mime_format_options_free(options);
  if (raw == nullptr) return Status::Io("gmime could not write the message");
  std::string out(raw);
  g_free(raw);
  return out;
}

}  // namespace tacit::mail
