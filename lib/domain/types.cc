#include "domain/types.h"

#include <array>
#include <utility>

namespace tacit {
namespace {

template <typename E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [v, name] : table) {
    if (v == e) return name;
  }
  return "?";
}

constexpr std::array<std::pair<Stance, std::string_view>, 4> kStances{{
    {Stance::kAgree, "agree"},
    {Stance::kComments, "comments"},
    {Stance::kObject, "object"},
    {Stance::kUnknown, "unknown"},
}};
constexpr std::array<std::pair<UnitStatus, std::string_view>, 5> kStatuses{{
    {UnitStatus::kPending, "pending"},
    {UnitStatus::kReplied, "replied"},
    {UnitStatus::kDeemedConsent, "deemed_consent"},
    {UnitStatus::kNoResponse, "no_response"},
    {UnitStatus::kExcluded, "excluded"},
}};
constexpr std::array<std::pair<Channel, std::string_view>, 4> kChannels{{
    {Channel::kDrop, "drop"},
    {Channel::kMaildir, "maildir"},
    {Channel::kImap, "imap"},
    {Channel::kManual, "manual"},
}};
constexpr std::array<std::pair<SilenceMeans, std::string_view>, 2> kSilence{{
    {SilenceMeans::kConsent, "consent"},
    {SilenceMeans::kNoResponse, "no_response"},
}};

}  // namespace

std::string_view ToString(Stance s) { return Name(kStances, s); }
std::string_view ToString(UnitStatus s) { return Name(kStatuses, s); }
std::string_view ToString(Channel c) { return Name(kChannels, c); }
std::string_view ToString(SilenceMeans s) { return Name(kSilence, s); }
std::optional<Stance> ParseStance(std::string_view s) { return Lookup(kStances, s); }
std::optional<UnitStatus> ParseUnitStatus(std::string_view s) { return Lookup(kStatuses, s); }
std::optional<Channel> ParseChannel(std::string_view s) { return Lookup(kChannels, s); }
std::optional<SilenceMeans> ParseSilenceMeans(std::string_view s) { return Lookup(kSilence, s); }

std::string_view VietnameseLabel(UnitStatus s) {
  switch (s) {
    case UnitStatus::kPending: return "chưa trả lời";
    case UnitStatus::kReplied: return "đã trả lời";
    case UnitStatus::kDeemedConsent: return "coi như đồng ý";
    case UnitStatus::kNoResponse: return "không phản hồi";
    case UnitStatus::kExcluded: return "không tính";
  }
  return "?";
}

std::string_view VietnameseLabel(Stance s) {
  switch (s) {
    case Stance::kAgree: return "nhất trí";
    case Stance::kComments: return "có góp ý";
    case Stance::kObject: return "không nhất trí";
    case Stance::kUnknown: return "cần xem";
  }
  return "?";
}

bool IsValidCode(std::string_view code) {
  if (code.empty()) return false;
  for (char c : code) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace tacit
