// One definition of "an email address tacit accepts", used by the config
// loader (units.csv, [smtp] from/reply_to), the message composer and the SMTP
// client, so an address that passes the config can always be put on the wire.
#pragma once

#include <string_view>

namespace tacit {

// A bare ASCII addr-spec as RFC 5321 sends it: a local part of atext and dots,
// one '@', a domain of letters, digits, '-' and '.' with at least one inner
// dot, at most 254 bytes. No
// display name, angle brackets, quoting, IP literals, spaces or control
// characters: nothing that could end an SMTP command or smuggle a header.
// Non-ASCII addresses are refused because tacit does not speak SMTPUTF8; a
// unit with such an address is reported when the config is loaded instead of
// failing at every reminder.
bool IsMailAddress(std::string_view address);

}  // namespace tacit
