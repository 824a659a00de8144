// A small template language for reminder subjects and bodies (issue 6): text
// with {{field}} placeholders, nothing else (no loops, no escapes, no code).
// Field names are [a-z_]+; spaces inside the braces are allowed ("{{ unit_name }}").
// Templates are checked when the config is loaded, so rendering cannot fail.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tacit::text {

// Ok when every {{...}} names a field of `known` and every "{{" is closed.
// Error (kInvalidConfig): "unknown field {{unit}} (known: unit_name, ...)" or
// "unclosed {{ at offset 12".
Status CheckTemplate(std::string_view tmpl, const std::vector<std::string>& known);

// Replaces each {{field}} by its value; a field missing from `values` becomes "".
// Values are inserted as they are (no escaping: the output is plain text).
std::string RenderTemplate(std::string_view tmpl, const std::map<std::string, std::string>& values);

// True when `tmpl` contains {{field}}.
bool UsesField(std::string_view tmpl, std::string_view field);

}  // namespace tacit::text
