// HTML mail bodies to plain text (issue 5: text/html-only replies). Not a
// browser: tags are dropped, entities decoded, block elements and <br> become
// line breaks, <script>/<style>/<head> contents vanish, and text inside
// <blockquote> comes out with "> " in front of each line so that
// text::SplitQuoted treats it as quoted. Input of any size and shape is read
// in one pass without recursion; the result is UTF-8 as given (the caller
// converts the charset first).
#pragma once

#include <string>
#include <string_view>

namespace tacit::mail {

std::string HtmlToText(std::string_view html);

}  // namespace tacit::mail
