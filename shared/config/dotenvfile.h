#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Outpost {

struct DotEnvEntry
{
    QString key;
    QString value;
    int line = 0;
};

// Reads a docker-compose style .env file: KEY=VALUE lines, '#' comments, an optional
// "export " prefix, values in single quotes (literal) or double quotes (escapes \n, \t,
// \" and \\ work there); an unquoted value ends at " #". Values span one line only.
// Errors name the file and line but never echo a value: .env files hold secrets.
class DotEnvFile
{
public:
    // A missing file is not an error (an empty list); an unreadable one is.
    static Result<QList<DotEnvEntry>> read(const QString &path);
    static Result<QList<DotEnvEntry>> parse(const QByteArray &text, const QString &fileName);
};

} // namespace Outpost
