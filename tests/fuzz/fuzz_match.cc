// libFuzzer target: the matcher (SPEC §3) against the bundled example config
// (config/, loaded once), on a Candidate built from the input. Fields are cut
// at NUL bytes, in this order: flags (first byte), subject, from addresses
// (';'-separated), own text, file name, subfolders ('/'-separated),
// In-Reply-To, References (' '-separated), attachment name, attachment text,
// letterhead text. Message-IDs starting "tacit." are "ours" (sent_lookup).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "match/matcher.h"

namespace {

struct Fixture {
  tacit::Config config;
  std::optional<tacit::match::Matcher> matcher;
  tacit::match::MatchContext context;
};

const Fixture& GetFixture() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture;
    tacit::Result<tacit::Config> config =
        tacit::LoadConfig(std::string(TACIT_SOURCE_DIR) + "/config/tacit.toml");
    if (!config) std::abort();
    f->config = std::move(*config);
    f->matcher.emplace(f->config);
    for (const tacit::Consultation& c : f->config.consultations) {
      f->context.open_consultations.insert(c.id);
    }
    const std::string first_consultation = f->config.consultations.at(0).id;
    const std::string first_unit = f->config.units.at(0).code;
    f->context.sent_lookup = [=](const std::string& id) {
      std::optional<tacit::match::SentMessage> sent;
      if (id.rfind("tacit.", 0) == 0) sent = {first_consultation, first_unit};
      return sent;
    };
    return f;
  }();
  return *fixture;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = text.find(separator, start);
    std::string_view piece = text.substr(start, at == std::string_view::npos ? at : at - start);
    if (!piece.empty()) out.emplace_back(piece);
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& fixture = GetFixture();
  if (size == 0 || size > 64 * 1024) return 0;
  const unsigned flags = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string_view> field;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = input.find('\0', start);
    field.push_back(input.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  field.resize(10);
  auto get = [&](std::size_t i) { return std::string(field[i]); };

  tacit::match::Candidate c;
  c.channel = static_cast<tacit::Channel>(flags & 3);
  c.auto_submitted = (flags & 4) != 0;
  c.delivery_report = (flags & 8) != 0;
  c.ocr = (flags & 16) != 0;
  c.ocr_low_confidence = (flags & 32) != 0;
  c.ocr_confidence = (flags & 32) != 0 ? 20 : 90;
  c.subject = get(0);
  c.from = Split(field[1], ';');
  c.own_text = get(2);
  c.file_name = get(3);
  c.subfolders = Split(field[4], '/');
  c.in_reply_to = get(5);
  c.references = Split(field[6], ' ');
  if ((flags & 64) != 0) c.message_id = "fuzz@example.vn";
  if (!field[7].empty() || !field[8].empty()) c.attachments.push_back({get(7), get(8)});
  c.letterhead_text = get(9);
  if (c.delivery_report && !c.from.empty()) c.bounced_recipient = c.from.back();

  tacit::match::MatchResult r = fixture.matcher->Match(c, fixture.context);
  if (r.outcome == tacit::match::Outcome::kMatched) {
    // A match names both, and a unit of that consultation's config.
    if (!r.consultation_id || !r.unit_code) std::abort();
    if (fixture.config.FindUnit(*r.unit_code) == nullptr) std::abort();
    const tacit::Consultation* k = fixture.config.FindConsultation(*r.consultation_id);
    if (k == nullptr) std::abort();
  }
  return 0;
}
