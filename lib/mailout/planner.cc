#include "mailout/planner.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "domain/reminders.h"
#include "mail/compose.h"
#include "reports/report.h"
#include "text/template.h"

namespace tacit::mailout {

const char* const kDefaultSubject = "Nhắc gửi ý kiến: {{subject}} {{tag}}";
const char* const kDefaultBody =
    "Kính gửi: {{unit_name}}\n"
    "\n"
    "{{issuer}} đã có Văn bản số {{reference}} về việc \"{{subject}}\" gửi quý đơn vị "
    "xin ý kiến.\n"
    "\n"
    "Đến nay {{issuer}} chưa nhận được ý kiến của quý đơn vị. Đề nghị quý đơn vị gửi ý kiến "
    "trước {{deadline}} (còn {{days_left}} ngày).\n"
    "\n"
    "{{silence_rule}}\n"
    "\n"
    "Cách gửi ý kiến: trả lời trực tiếp thư này (giữ nguyên tiêu đề), hoặc gửi văn bản "
    "về địa chỉ {{office_email}}. Nếu quý đơn vị đã gửi ý kiến, xin bỏ qua thư này.\n"
    "\n"
    "Trân trọng.\n"
    "{{office}}\n"
    "\n"
    "--\n"
    "Thư nhắc tự động, mã theo dõi {{tag}}.\n";

namespace {

struct Context {
  const Config& config;
  const SmtpConfig& smtp;
  TimePoint now;
};

std::string OfficeName(const SmtpConfig& smtp, const Consultation& c) {
  if (!smtp.from_name.empty()) return smtp.from_name;
  return c.issuer.empty() ? smtp.from_address : c.issuer;
}

std::map<std::string, std::string> Fields(const Context& ctx, const Consultation& c,
                                          const store::ConsultationState& state,
                                          const store::UnitState* unit, TimePoint deadline) {
  const TimeZone& tz = ctx.config.tz;
  store::ConsultationState rule = state;
  rule.deadline = deadline;
  auto days = std::chrono::duration_cast<std::chrono::hours>(deadline - ctx.now).count() / 24;
  return {{"id", c.id},
          {"tag", fmt::format("[tacit:{}]", c.id)},
          {"reference", c.reference},
          {"subject", c.subject},
          {"issuer", c.issuer.empty() ? OfficeName(ctx.smtp, c) : c.issuer},
          {"signer", c.signer},
          {"deadline", FormatDeadlineVietnamese(deadline, tz)},
          {"deadline_date", FormatLocalDate(deadline, tz)},
          {"silence_rule", reports::SilenceRuleText(rule, tz)},
          {"unit_name", unit ? unit->name : ""},
          {"unit_code", unit ? unit->code : ""},
          {"group", unit ? unit->group : ""},
          {"office", OfficeName(ctx.smtp, c)},
          {"office_email", ctx.smtp.reply_to.empty() ? ctx.smtp.from_address : ctx.smtp.reply_to},
          {"days_left", std::to_string(std::max<long long>(0, days))}};
}

std::string Subject(const Consultation& c, const std::map<std::string, std::string>& fields) {
  std::string tmpl =
      c.reminders.subject_template.empty() ? kDefaultSubject : c.reminders.subject_template;
  std::string subject = text::RenderTemplate(tmpl, fields);
  // The tag lets any reply find its consultation; a template without it gets it.
  if (!text::UsesField(tmpl, "tag")) subject += " " + fields.at("tag");
  // Values come from checked config (no line breaks), but be sure.
  for (char& ch : subject) {
    if (ch == '\r' || ch == '\n' || ch == '\t') ch = ' ';
  }
  return subject;
}

Result<store::PlannedMessage> Compose(const Context& ctx, std::string kind, const Consultation& c,
                                      std::string unit_code, std::string slot,
                                      std::vector<mail::Mailbox> to, std::string subject,
                                      std::string body, TimePoint due,
                                      std::vector<mail::Attachment> attachments = {}) {
  store::PlannedMessage m;
  m.kind = std::move(kind);
  m.consultation_id = c.id;
  m.unit_code = std::move(unit_code);
  m.slot = std::move(slot);
  m.message_id =
      mail::MakeMessageId(m.kind, c.id, m.unit_code, m.slot, mail::DomainOf(ctx.smtp.from_address));
  m.subject = subject;
  m.due_at = due;
  for (const mail::Mailbox& t : to) m.recipients.push_back(t.address);
  mail::OutgoingMessage out;
  out.from = {ctx.smtp.from_name, ctx.smtp.from_address};
  out.to = std::move(to);
  out.reply_to = ctx.smtp.reply_to;
  out.subject = std::move(subject);
  out.body = std::move(body);
  out.message_id = m.message_id;
  out.date = ctx.now;
  out.attachments = std::move(attachments);
  Result<std::string> raw = mail::ComposeMessage(out);
  if (!raw) {
    return Status::BadInput(
        fmt::format("{} {} for {}: {}", m.kind, m.slot, c.id, raw.error().message()));
  }
  m.message = std::move(*raw);
  return m;
}

// A unit's reminder slots. Its name and addresses are the store's (synced
// from units.csv), not the config's: tacitd keeps no unit list in memory.
struct UnitSlots {
  const store::UnitState* unit = nullptr;
  TimePoint deadline;
  std::vector<ReminderSlot> slots;
};

std::vector<UnitSlots> SlotsOf(const Config& config, const Consultation& c,
                               const store::ConsultationState& state) {
  std::vector<UnitSlots> out;
  for (const store::UnitState& u : state.units) {
    UnitSlots us;
    us.unit = &u;
    us.deadline = u.unit_deadline.value_or(state.deadline);
    us.slots = ComputeSlots(c.reminders, us.deadline, config.tz);
    out.push_back(std::move(us));
  }
  return out;
}

std::vector<mail::Mailbox> Recipients(const store::UnitState& u) {
  std::vector<mail::Mailbox> to;
  for (const std::string& e : u.emails) to.push_back({u.name, e});
  return to;
}

std::vector<mail::Mailbox> ReportRecipients(const Consultation& c) {
  std::vector<mail::Mailbox> to;
  for (const std::string& e : c.reminders.report_to) to.push_back({"", e});
  return to;
}

TimePoint LocalToday(const TimeZone& tz, TimePoint now, int minutes) {
  LocalDate d = ToLocal(now, tz);
  return tz.FromLocal(d.year, d.month, d.day, minutes / 60, minutes % 60, 0);
}

std::string LocalDayKey(const TimeZone& tz, TimePoint now) {
  LocalDate d = ToLocal(now, tz);
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

Status PlanConsultation(const Context& ctx, const Consultation& c,
                        const store::ConsultationState& state, const std::set<std::string>& have,
                        store::Store& store, std::vector<store::PlannedMessage>& out) {
  const TimeZone& tz = ctx.config.tz;
  // Reminders.
  if (!state.closed && !c.reminders.schedule.empty()) {
    for (const UnitSlots& us : SlotsOf(ctx.config, c, state)) {
      if (us.unit->emails.empty()) continue;
      if (us.unit->status != UnitStatus::kPending || ctx.now >= us.deadline) continue;
      const ReminderSlot* latest = nullptr;
      for (const ReminderSlot& s : us.slots) {
        if (s.at <= ctx.now) latest = &s;
      }
      if (latest == nullptr) continue;
      auto key = [&](const ReminderSlot& s) {
        return fmt::format("reminder|{}|{}", us.unit->code, s.key);
      };
      if (have.count(key(*latest))) continue;
      std::map<std::string, std::string> f = Fields(ctx, c, state, us.unit, us.deadline);
      std::string body = text::RenderTemplate(
          c.reminders.body_template.empty() ? kDefaultBody : c.reminders.body_template, f);
      Result<store::PlannedMessage> m =
          Compose(ctx, "reminder", c, us.unit->code, latest->key, Recipients(*us.unit),
                  Subject(c, f), body, latest->at);
      if (!m) return m.error();
      out.push_back(std::move(*m));
      for (const ReminderSlot& s : us.slots) {
        if (&s == latest) break;
        if (have.count(key(s))) continue;
        store::PlannedMessage skipped;
        skipped.kind = "reminder";
        skipped.consultation_id = c.id;
        skipped.unit_code = us.unit->code;
        skipped.slot = s.key;
        skipped.message_id = mail::MakeMessageId("reminder", c.id, us.unit->code, s.key,
                                                 mail::DomainOf(ctx.smtp.from_address));
        skipped.recipients = us.unit->emails;
        skipped.subject = "(missed)";
        skipped.due_at = s.at;
        skipped.skipped = true;
        out.push_back(std::move(skipped));
      }
    }
  }
  if (c.reminders.report_to.empty()) return Status::Ok();
  // Digest.
  if (!state.closed && ctx.now < state.deadline &&
      ctx.now >= LocalToday(tz, ctx.now, c.reminders.digest_at_minutes)) {
    std::string day = LocalDayKey(tz, ctx.now);
    if (!have.count(fmt::format("digest||{}", day))) {
      Result<reports::ReportData> data = reports::GatherReport(store, c, tz, ctx.now);
      if (!data) return data.error();
      const reports::ReportCounts& n = data->counts;
      std::string subject =
          fmt::format("[tacit:{}] Tình hình ý kiến ngày {}: {}/{} đơn vị đã trả lời", c.id,
                      FormatLocalDate(ctx.now, tz), n.replied, n.addressed);
      Result<store::PlannedMessage> m =
          Compose(ctx, "digest", c, "", day, ReportRecipients(c), subject,
                  reports::RenderMarkdown(*data, tz), ctx.now);
      if (!m) return m.error();
      out.push_back(std::move(*m));
    }
  }
  // Final report.
  if (state.closed) {
    std::string slot = FormatIso(state.deadline, tz);
    if (!have.count(fmt::format("report||{}", slot))) {
      Result<reports::ReportData> data = reports::GatherReport(store, c, tz, ctx.now);
      if (!data) return data.error();
      std::string subject = fmt::format("[tacit:{}] Báo cáo tổng hợp ý kiến: {} (hết hạn {})", c.id,
                                        c.subject, FormatLocalDate(state.deadline, tz));
      std::vector<mail::Attachment> files = {
          {c.id + ".html", "text/html; charset=utf-8", reports::RenderHtml(*data, tz)},
          {c.id + ".csv", "text/csv; charset=utf-8", reports::RenderCsv(*data, tz)}};
      // The Word draft the office numbers, dates and signs (issue 11), when it renders.
      if (Result<std::string> docx = reports::RenderReport(*data, tz, "docx")) {
        files.push_back({c.id + ".docx",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         std::move(*docx)});
      }
      Result<store::PlannedMessage> m =
          Compose(ctx, "report", c, "", slot, ReportRecipients(c), subject,
                  reports::RenderMarkdown(*data, tz), state.closed_at.value_or(ctx.now), files);
      if (!m) return m.error();
      out.push_back(std::move(*m));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<store::PlannedMessage>> PlanDue(const Config& config, const SmtpConfig& smtp,
                                                   store::Store& store, TimePoint now) {
  Context ctx{config, smtp, now};
  std::vector<store::PlannedMessage> out;
  for (const Consultation& c : config.consultations) {
    if (c.reminders.schedule.empty() && c.reminders.report_to.empty()) continue;
    Result<std::vector<store::ConsultationState>> states =
        store.Consultations(c.id, /*with_emails=*/true);
    if (!states) return states.error();
    if (states->empty()) continue;
    Result<std::set<std::string>> have = store.OutboxKeys(c.id);
    if (!have) return have.error();
    Status s = PlanConsultation(ctx, c, states->front(), *have, store, out);
    if (!s.ok()) return s;
  }
  return out;
}

Result<std::optional<TimePoint>> NextPlanAt(const Config& config, store::Store& store,
                                            TimePoint now) {
  std::optional<TimePoint> next;
  auto consider = [&](TimePoint t) {
    if (t > now && (!next || t < *next)) next = t;
  };
  for (const Consultation& c : config.consultations) {
    Result<std::vector<store::ConsultationState>> states = store.Consultations(c.id);
    if (!states) return states.error();
    if (states->empty() || states->front().closed) continue;
    for (const UnitSlots& us : SlotsOf(config, c, states->front())) {
      for (const ReminderSlot& s : us.slots) consider(s.at);
    }
    if (!c.reminders.report_to.empty()) {
      TimePoint today = LocalToday(config.tz, now, c.reminders.digest_at_minutes);
      consider(today);
      consider(LocalToday(config.tz, now + std::chrono::hours{24}, c.reminders.digest_at_minutes));
    }
  }
  return next;
}

Result<std::vector<DryRunLine>> DryRun(const Config& config, const SmtpConfig& smtp,
                                       store::Store& store, const std::string& id, TimePoint now) {
  const Consultation* c = config.FindConsultation(id);
  if (c == nullptr) return Status::NotFound(fmt::format("no consultation '{}'", id));
  Result<std::vector<store::ConsultationState>> states =
      store.Consultations(id, /*with_emails=*/true);
  if (!states) return states.error();
  if (states->empty()) return Status::NotFound(fmt::format("no consultation '{}'", id));
  const store::ConsultationState& state = states->front();
  Result<std::vector<store::OutboxRow>> outbox = store.Outbox(id);
  if (!outbox) return outbox.error();
  std::map<std::string, const store::OutboxRow*> rows;
  for (const store::OutboxRow& r : *outbox) {
    if (r.kind == "reminder") rows[r.unit_code + "|" + r.slot] = &r;
  }
  Context ctx{config, smtp, now};
  std::vector<DryRunLine> out;
  for (const UnitSlots& us : SlotsOf(config, *c, state)) {
    const ReminderSlot* latest_due = nullptr;
    for (const ReminderSlot& s : us.slots) {
      if (s.at <= now) latest_due = &s;
    }
    for (const ReminderSlot& s : us.slots) {
      DryRunLine line;
      line.slot = s.slot;
      line.at = s.at;
      line.moved = s.moved;
      line.unit_code = us.unit->code;
      line.unit_name = us.unit->name;
      line.to = us.unit->emails;
      std::map<std::string, std::string> f = Fields(ctx, *c, state, us.unit, us.deadline);
      line.subject = Subject(*c, f);
      auto it = rows.find(us.unit->code + "|" + s.key);
      if (it != rows.end()) {
        line.state = std::string(store::ToString(it->second->state));
      } else if (us.unit->emails.empty()) {
        line.state = "no email";
      } else if (us.unit->status != UnitStatus::kPending || state.closed) {
        line.state = "not pending";
      } else if (s.at > now) {
        line.state = "scheduled";
      } else if (&s == latest_due && now < us.deadline) {
        line.state = "due";
      } else {
        line.state = "missed";
      }
      out.push_back(std::move(line));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const DryRunLine& a, const DryRunLine& b) { return a.at < b.at; });
  return out;
}

}  // namespace tacit::mailout
