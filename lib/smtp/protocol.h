// The text side of SMTP used by smtp_client.cc, apart so that it can be tested
// without a server: addresses, the DATA transparency rules, safe log text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tacit::smtp::internal {

std::string Base64(std::string_view in);
// Overwrites a string that held a secret, then empties it.
void Wipe(std::string& s);
// One printable line of at most `max` bytes (plus "..."): server text and
// caller input go into logs and the outbox.
std::string Clean(std::string_view text, std::size_t max = 300);
// A host name usable after EHLO/HELO.
bool ValidHeloName(std::string_view name);
// The message as DATA sends it: every line end (CRLF, bare LF, bare CR) becomes
// CRLF, a line starting with "." gets another "." in front (RFC 5321 4.5.2), a
// missing final line end is added, then the terminating ".\r\n".
std::string DataBody(std::string_view data);

}  // namespace tacit::smtp::internal
