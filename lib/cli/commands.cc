#include "cli/commands.h"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/table.h"
#include "core/hash.h"
#include "domain/deadline.h"
#include "mailout/planner.h"
#include "reports/report.h"
#include "service/status_file.h"
#include "views/views.h"

namespace tacit::cli {
namespace {

using json = nlohmann::ordered_json;

int Fail(Context& ctx, const Status& s) {
  ctx.err << "tacitctl: " << s.message() << "\n";
  return 1;
}

std::string Dash(const std::optional<std::string>& v) { return v ? *v : "-"; }

std::string When(const std::optional<TimePoint>& t, const TimeZone& tz) {
  return t ? FormatHuman(*t, tz) : "-";
}

void PrintConsultationHeader(Context& ctx, const store::ConsultationState& c) {
  views::Counts n = views::CountUnits(c);
  ctx.out << fmt::format("{}  {}\n", c.id, c.subject);
  ctx.out << fmt::format("  số {}, hạn {} ({})\n", c.reference.empty() ? "-" : c.reference,
                         FormatHuman(c.deadline, ctx.config.tz), c.closed ? "closed" : "open");
  ctx.out << fmt::format(
      "  addressed {}  pending {}  replied {} (agree {}, comments {}, object {}, unknown {})  "
      "deemed_consent {}  no_response {}  late {}  excluded {}\n",
      n.addressed, n.pending, n.replied, n.agree, n.comments, n.object, n.unknown, n.deemed_consent,
      n.no_response, n.late, n.excluded);
}

}  // namespace

Result<std::unique_ptr<store::Store>> OpenStore(const Config& config, const Clock& clock,
                                                const std::string& actor) {
  std::error_code ec;
  std::filesystem::create_directories(config.daemon.state_dir, ec);
  if (ec) return Status::Io(config.daemon.state_dir + ": " + ec.message());
  auto st = store::Store::Open(config.daemon.state_dir + "/tacit.db", config.tz);
  if (!st) return st.error();
  if (Status s = (*st)->SyncConfig(config, clock.Now(), actor); !s.ok()) return s;
  return st;
}

int CheckConfig(const std::string& config_path, std::ostream& out, std::ostream& err) {
  Result<Config> cfg = LoadConfig(config_path);
  if (!cfg) {
    err << cfg.error().message() << "\n";
    return 1;
  }
  out << fmt::format("{}: ok: {} units, {} consultation(s)\n", config_path, cfg->units.size(),
                     cfg->consultations.size());
  for (const Consultation& c : cfg->consultations) {
    out << fmt::format("  {}: deadline {}, {} units addressed, silence means {}\n", c.id,
                       FormatIso(c.deadline, cfg->tz), c.addressed_units.size(),
                       ToString(c.silence_means));
  }
  return 0;
}

int StatusCommand(Context& ctx, const std::string& id, bool as_json) {
  auto cs = ctx.store.Consultations(id);
  if (!cs) return Fail(ctx, cs.error());
  if (as_json) {
    auto unmatched = ctx.store.UnmatchedCount();
    if (!unmatched) return Fail(ctx, unmatched.error());
    json j = service::StatusJson(*cs, *unmatched, ctx.clock.Now(), ctx.config.tz);
    ctx.out << j["consultations"].dump(2) << "\n";
    return 0;
  }
  for (const store::ConsultationState& c : *cs) {
    PrintConsultationHeader(ctx, c);
    if (id.empty()) continue;
    Table t({"CODE", "TRẠNG THÁI", "Ý KIẾN", "KÊNH", "NHẬN LÚC", "TRỄ", "ĐƠN VỊ"});
    for (const store::UnitState& u : c.units) {
      t.Add({u.code, std::string(VietnameseLabel(u.status)),
             u.stance ? std::string(VietnameseLabel(*u.stance)) : "-",
             u.channel ? std::string(ToString(*u.channel)) : "-", When(u.replied_at, ctx.config.tz),
             u.late_reply ? "trễ" : "", u.name});
    }
    t.Print(ctx.out);
  }
  if (id.empty()) {
    auto unmatched = ctx.store.UnmatchedCount();
    if (unmatched && *unmatched > 0) ctx.out << fmt::format("unmatched replies: {}\n", *unmatched);
  }
  return 0;
}

int UnitsCommand(Context& ctx, const std::string& id, bool as_json) {
  auto cs = ctx.store.Consultations(id);
  if (!cs) return Fail(ctx, cs.error());
  const store::ConsultationState& c = cs->front();
  if (as_json) {
    json arr = json::array();
    for (const store::UnitState& u : c.units) {
      const Unit* unit = ctx.config.FindUnit(u.code);
      json j = {{"code", u.code},
                {"name", u.name},
                {"group", u.group},
                {"emails", unit ? unit->emails : std::vector<std::string>{}},
                {"aliases", unit ? unit->aliases : std::vector<std::string>{}},
                {"status", ToString(u.status)},
                {"deadline", FormatIso(u.unit_deadline.value_or(c.deadline), ctx.config.tz)}};
      if (u.status == UnitStatus::kExcluded) j["excluded_reason"] = u.excluded_reason;
      arr.push_back(std::move(j));
    }
    ctx.out << arr.dump(2) << "\n";
    return 0;
  }
  Table t({"CODE", "NHÓM", "TÊN", "EMAIL", "TRẠNG THÁI", "HẠN"});
  for (const store::UnitState& u : c.units) {
    const Unit* unit = ctx.config.FindUnit(u.code);
    std::string emails;
    if (unit) {
      for (const auto& e : unit->emails) emails += (emails.empty() ? "" : ";") + e;
    }
    t.Add({u.code, u.group, u.name, emails.empty() ? "-" : emails,
           std::string(VietnameseLabel(u.status)),
           FormatHuman(u.unit_deadline.value_or(c.deadline), ctx.config.tz)});
  }
  t.Print(ctx.out);
  return 0;
}

int RepliesCommand(Context& ctx, const std::string& id, const std::string& unit, bool as_json) {
  auto rs = ctx.store.Replies(id, unit);
  if (!rs) return Fail(ctx, rs.error());
  if (as_json) {
    json arr = json::array();
    for (const store::ReplyRow& r : *rs) arr.push_back(views::ReplyJson(r, ctx.config.tz));
    ctx.out << arr.dump(2) << "\n";
    return 0;
  }
  Table t({"ID", "UNIT", "KÊNH", "NHẬN LÚC", "TRỄ", "Ý KIẾN", "KHỚP THEO", "NỘI DUNG"});
  for (const store::ReplyRow& r : *rs) {
    t.Add({std::to_string(r.id), Dash(r.unit_code), std::string(ToString(r.channel)),
           FormatHuman(r.received_at, ctx.config.tz), r.late ? "trễ" : "",
           std::string(VietnameseLabel(r.stance)), r.match_rule.empty() ? "-" : r.match_rule,
           Excerpt(r.text, 60)});
  }
  t.Print(ctx.out);
  return 0;
}

int EventsCommand(Context& ctx, const std::string& id, bool as_json) {
  auto es = ctx.store.Events(id);
  if (!es) return Fail(ctx, es.error());
  if (as_json) {
    json arr = json::array();
    for (const store::EventRow& e : *es) {
      arr.push_back(views::EventJson(e, ctx.config.tz));
    }
    ctx.out << arr.dump(2) << "\n";
    return 0;
  }
  Table t({"ID", "LÚC", "HIỆU LỰC", "UNIT", "LOẠI", "TÁC NHÂN", "CHI TIẾT"});
  for (const store::EventRow& e : *es) {
    t.Add({std::to_string(e.id), FormatHuman(e.at, ctx.config.tz),
           FormatHuman(e.effective_at, ctx.config.tz), e.unit_code.empty() ? "-" : e.unit_code,
           e.kind, e.actor, e.detail});
  }
  t.Print(ctx.out);
  return 0;
}

int RemindCommand(Context& ctx, const std::string& id, bool dry_run, bool as_json) {
  if (!dry_run) {
    ctx.err << "tacitctl: remind sends nothing itself: tacitd sends reminders on the "
               "consultation's schedule; add --dry-run to see who gets what and when\n";
    return 2;
  }
  // Without [smtp] nothing is sent; the plan is still shown, with a warning.
  SmtpConfig smtp = ctx.config.smtp.value_or(SmtpConfig{});
  if (!ctx.config.smtp) {
    smtp.from_address = "office@localhost";
    ctx.err << "tacitctl: warning: no [smtp] in the config: tacitd sends no mail\n";
  }
  auto lines = mailout::DryRun(ctx.config, smtp, ctx.store, id, ctx.clock.Now());
  if (!lines) return Fail(ctx, lines.error());
  const TimeZone& tz = ctx.config.tz;
  if (as_json) {
    json arr = json::array();
    for (const mailout::DryRunLine& l : *lines) {
      arr.push_back({{"slot", l.slot},
                     {"at", FormatIso(l.at, tz)},
                     {"moved", l.moved},
                     {"unit", l.unit_code},
                     {"unit_name", l.unit_name},
                     {"to", l.to},
                     {"state", l.state},
                     {"subject", l.subject}});
    }
    ctx.out << arr.dump(2) << "\n";
    return 0;
  }
  if (lines->empty()) {
    ctx.out << "no reminder slot before the deadline (see [reminders] schedule in the "
               "consultation's file)\n";
    return 0;
  }
  Table t({"LÚC", "LỊCH", "UNIT", "TÊN", "ĐẾN", "TRẠNG THÁI"});
  for (const mailout::DryRunLine& l : *lines) {
    std::string to;
    for (const std::string& a : l.to) to += (to.empty() ? "" : ", ") + a;
    t.Add({FormatHuman(l.at, tz), l.slot + (l.moved ? " *" : ""), l.unit_code, l.unit_name,
           to.empty() ? "-" : to, l.state});
  }
  t.Print(ctx.out);
  ctx.out << "* moved back to the previous working day\n";
  if (!lines->empty()) ctx.out << "subject: " << lines->front().subject << "\n";
  return 0;
}

int UnmatchedCommand(Context& ctx, bool as_json) {
  auto rs = ctx.store.Unmatched();
  if (!rs) return Fail(ctx, rs.error());
  if (as_json) {
    json arr = json::array();
    for (const store::ReplyRow& r : *rs) arr.push_back(views::ReplyJson(r, ctx.config.tz));
    ctx.out << arr.dump(2) << "\n";
    return 0;
  }
  Table t({"ID", "KÊNH", "NHẬN LÚC", "TỪ / TỆP", "TIÊU ĐỀ", "LÝ DO"});
  for (const store::ReplyRow& r : *rs) {
    t.Add({std::to_string(r.id), std::string(ToString(r.channel)),
           FormatHuman(r.received_at, ctx.config.tz), r.sender.empty() ? r.source_ref : r.sender,
           Excerpt(r.subject, 40), r.match_rule});
  }
  t.Print(ctx.out);
  return 0;
}

int AssignCommand(Context& ctx, const std::string& reply, const std::string& id,
                  const std::string& unit) {
  std::int64_t reply_id = 0;
  try {
    size_t used = 0;
    reply_id = std::stoll(reply, &used);
    if (used != reply.size() || reply_id <= 0) throw std::invalid_argument(reply);
  } catch (const std::exception&) {
    ctx.err << fmt::format("tacitctl: REPLY must be a reply id (a number), not '{}'\n", reply);
    return 2;
  }
  if (Status s = ctx.store.Assign(reply_id, id, unit, ctx.clock.Now(), ctx.actor); !s.ok()) {
    return Fail(ctx, s);
  }
  ctx.out << fmt::format("reply {} is now from {} for {}\n", reply_id, unit, id);
  return 0;
}

int RecordCommand(Context& ctx, const RecordOptions& o) {
  std::optional<Stance> stance = ParseStance(o.stance);
  if (!stance) {
    ctx.err << fmt::format("tacitctl: --stance '{}' must be agree, comments, object or unknown\n",
                           o.stance);
    return 2;
  }
  store::NewReply r;
  r.consultation_id = o.id;
  r.unit_code = o.unit;
  r.channel = Channel::kManual;
  r.stance = *stance;
  r.match_rule = "entered by the clerk";
  const TimePoint now = ctx.clock.Now();
  r.received_at = now;
  if (!o.received.empty()) {
    Result<TimePoint> t = ParseDate(o.received, ctx.config.tz, DateKind::kInstant);
    if (!t) return Fail(ctx, Status::BadInput("--received: " + t.error().message()));
    if (*t > now)
      return Fail(ctx, Status::BadInput("--received: " + o.received + " is in the future"));
    r.received_at = *t;
  }
  if (!o.text_file.empty()) {
    std::ifstream in(o.text_file, std::ios::binary);
    if (!in) return Fail(ctx, Status::Io(o.text_file + ": cannot read"));
    std::ostringstream ss;
    ss << in.rdbuf();
    r.text = ss.str();
    r.source_ref = o.text_file;
  }
  // The same paper letter entered twice (same unit, day, stance and text) is
  // recorded once.
  r.content_hash =
      Sha256Hex(fmt::format("manual\n{}\n{}\n{}\n{}\n{}", o.id, o.unit,
                            r.received_at.time_since_epoch().count(), o.stance, r.text));
  Result<store::RecordOutcome> out = ctx.store.RecordReply(r, now, ctx.actor);
  if (!out) return Fail(ctx, out.error());
  if (out->duplicate) {
    ctx.out << fmt::format("already recorded as reply {}\n", out->reply_id);
  } else {
    ctx.out << fmt::format("recorded reply {} from {} ({})\n", out->reply_id, o.unit,
                           out->late ? "late" : "on time");
  }
  return 0;
}

int ExtendCommand(Context& ctx, const std::string& id, const std::string& date,
                  const std::string& unit) {
  Result<TimePoint> t = ParseDate(date, ctx.config.tz, DateKind::kDeadline);
  if (!t) return Fail(ctx, t.error());
  std::optional<std::string> u;
  if (!unit.empty()) u = unit;
  if (Status s = ctx.store.Extend(id, *t, u, ctx.clock.Now(), ctx.actor); !s.ok())
    return Fail(ctx, s);
  ctx.out << fmt::format("deadline of {}{} is now {}\n", id, unit.empty() ? "" : " for " + unit,
                         FormatIso(*t, ctx.config.tz));
  return 0;
}

int ExcludeCommand(Context& ctx, const std::string& id, const std::string& unit,
                   const std::string& reason) {
  if (reason.empty() || reason.find_first_of("\r\n") != std::string::npos) {
    ctx.err << "tacitctl: --reason must be one non-empty line\n";
    return 2;
  }
  if (Status s = ctx.store.Exclude(id, unit, reason, ctx.clock.Now(), ctx.actor); !s.ok()) {
    return Fail(ctx, s);
  }
  ctx.out << fmt::format("{} is excluded from {}: {}\n", unit, id, reason);
  return 0;
}

int ReportCommand(Context& ctx, const std::string& id, const std::string& format,
                  const std::string& output) {
  if (format != "md" && format != "html" && format != "csv" && format != "json" &&
      format != "docx") {
    ctx.err << fmt::format("tacitctl: --format '{}' must be md, html, csv, json or docx\n", format);
    return 2;
  }
  const bool to_stdout = output.empty() || output == "-";
  if (format == "docx" && to_stdout && ctx.out_is_terminal) {
    ctx.err << "tacitctl: the docx report is binary: give -o FILE or redirect stdout\n";
    return 2;
  }
  const Consultation* c = ctx.config.FindConsultation(id);
  if (c == nullptr) return Fail(ctx, Status::NotFound(fmt::format("no consultation '{}'", id)));
  Result<reports::ReportData> data =
      reports::GatherReport(ctx.store, *c, ctx.config.tz, ctx.clock.Now());
  if (!data) return Fail(ctx, data.error());
  Result<std::string> body = reports::RenderReport(*data, ctx.config.tz, format);
  if (!body) return Fail(ctx, body.error());
  if (to_stdout) {
    ctx.out << *body;
    return 0;
  }
  PosixFileSystem fs;
  if (Status s = fs.WriteAtomic(output, *body); !s.ok()) return Fail(ctx, s);
  ctx.out << fmt::format("wrote the {} report of {} to {}{}\n", format, id, output,
                         data->provisional ? " (provisional: the consultation is open)" : "");
  return 0;
}

}  // namespace tacit::cli
