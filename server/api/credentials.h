#pragma once

#include "core/result.h"
#include "http/request.h"

#include <QString>

namespace Outpost::Server::Api {

struct Credentials
{
    QString email;
    QString password;
};

// The sign-in credentials of a request: the OAuth2 password form (username, password; '+'
// is a space) or JSON {"email", "password"}. BadRequest for malformed JSON, Validation for a
// missing field or another Content-Type.
Result<Credentials> credentialsOf(const Request &request);

} // namespace Outpost::Server::Api
