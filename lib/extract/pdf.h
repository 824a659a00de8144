// PDF text read in this process with poppler-cpp: the tacit-extract helper's
// side of ExtractText(kPdf) (tacitd itself goes through the helper, see
// extract/helper.h), and the fuzzer. Library tacit_extract_pdf. Same contract
// as ExtractText for kPdf, except that limits.max_bytes is not checked here.
#pragma once

#include <string_view>

#include "core/status.h"
#include "extract/extract.h"

namespace tacit::extract {

Result<Extracted> ExtractPdfInProcess(std::string_view bytes, const Limits& limits);

}  // namespace tacit::extract
