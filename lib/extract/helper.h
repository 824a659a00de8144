// tacit-extract: the helper process that reads PDFs (poppler) and scans
// (Tesseract) for tacitd, so that neither library lives in the daemon.
//
// Why a separate process:
// - A hostile or merely strange PDF that crashes or hangs poppler, or an image
//   that drives Tesseract out of memory, kills the helper, not tacitd. The file
//   is quarantined with the reason ("pdf: the reader crashed (signal 11,
//   Segmentation fault)") and the daemon goes on. In-process, the same file
//   would have crashed tacitd again at every restart.
// - poppler, Tesseract, leptonica and what they pull in (ICU, NSS, image
//   codecs, curl) are not mapped into an idle tacitd (issue 9's idle RSS).
//
// How: tacitd starts helpers on demand, one per caller working at the same
// time (the OCR workers, the Maildir parse threads), and reuses an idle one
// for the next request. A helper with nothing to do for kIdleSeconds exits by
// itself, so an idle tacitd has no helper at all; the next request starts a
// new one. Requests go over a socketpair on the helper's stdin and stdout:
//
//   request: one line of JSON {"op":..., "size":N, ...op's fields} and N bytes
//   reply:   one line of JSON {"ok":true, ...} or {"ok":false,"code":...,"message":...}
//
// Errors of Call, beside those the helper replies with:
// - kTransient: the helper cannot be started or exited without a word
//   (missing binary, fork failure, a library missing: exit 127). Not the
//   file's fault; the caller keeps the file and tries again later.
// - kBadInput: the helper died on this input (a signal, an exit status) or did
//   not answer within the timeout (it is killed): the file's fault.
// - kCancelled: `cancel` turned true; the helper is killed.
//
// Call may be called from several threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "extract/extract.h"

namespace tacit::extract::helper {

// A helper idle this long exits.
constexpr int kIdleSeconds = 60;

// The tacit-extract binary: set by SetPath, else $TACIT_EXTRACT, else
// tacit-extract beside this program's executable (a build tree), else the
// installed /usr/libexec/tacit/tacit-extract.
std::string Path();
// For tests and benchmarks; empty restores the search above. `idle_seconds`
// is passed to helpers started from now on.
void SetPath(std::string path, int idle_seconds = kIdleSeconds);

// Ok when Path() is an executable file; else why not ("tacit-extract not
// found at PATH: PDFs and scans cannot be read until it is installed"). For a
// start-up warning: a broken installation is said before the first PDF.
Status CheckInstalled();

// Reaps the pooled helpers that left after their idle time: until then each
// is a zombie ("tacit-extract <defunct>" in ps). Cheap; tacitd calls it from
// its periodic database poll.
void ReapIdle();

// Sends `request` (its "size" is set here) and `payload` to a helper and
// returns its reply object (with "ok": true). `what` starts error messages
// ("pdf", "ocr"). Errors: see above.
Result<nlohmann::json> Call(nlohmann::json request, std::string_view payload,
                            std::chrono::milliseconds timeout, std::string_view what,
                            const std::atomic<bool>* cancel = nullptr);

// The helper's side. Serve reads requests from fd 0 and writes replies to
// fd 1 until its input ends or nothing comes for `idle_seconds`; `handle`
// answers one request (its JSON and payload) with a reply object or an error.
// Returns the process exit status: 0, or 2 on a malformed request.
using Handler = Result<nlohmann::json> (*)(const nlohmann::json& request, std::string_view payload);
int Serve(Handler handle, int idle_seconds);

// A reply for a failed request, and back (used by Serve and Call).
nlohmann::json ErrorReply(const Status& status);
Status ErrorFromReply(const nlohmann::json& reply);

// PDF text through a helper (extract.cc's kPdf): op "pdf-text", with
// "max_pdf_pages". PdfTextReply is the helper's reply for a read PDF.
Result<Extracted> ExtractPdfRemote(std::string_view bytes, const Limits& limits);
nlohmann::json PdfTextReply(const Extracted& extracted);

}  // namespace tacit::extract::helper
