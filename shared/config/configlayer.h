#pragma once

#include "core/error.h"

#include <QList>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>

namespace Outpost {

// One source of settings, read but not yet interpreted: which keys it sets and how the
// user spelled them there, so that errors can name a setting the way it was written.
struct ConfigLayer
{
    enum class Kind { ConfigFile, DotEnv, Environment, CommandLine };

    Kind kind = Kind::Environment;
    QString fileName;              // ConfigFile and DotEnv only
    QMap<QString, QString> values; // "BCRYPT_COST" or "JWT_SECRET_FILE" -> value as given

    // bcrypt_cost, OUTPOST_BCRYPT_COST or --bcrypt-cost.
    QString spelling(const QString &key) const;
    // The spelling plus " in FILE" for file layers: what an error message names.
    QString fieldName(const QString &key) const;

    // Each reader keeps only known keys (a setting name, or NAME_FILE for a secret) and adds
    // to errors whatever is wrong with the source itself. Unknown keys are errors in the
    // config file and on the command line; unknown OUTPOST_* variables are ignored, since
    // the environment is shared with other tools.
    static ConfigLayer fromConfigFile(const QString &path, QList<FieldError> &errors);
    static ConfigLayer fromDotEnv(const QString &path, QList<FieldError> &errors);
    static ConfigLayer fromEnvironment(const QProcessEnvironment &environment);
    static ConfigLayer fromCommandLine(
        const QMap<QString, QString> &options, QList<FieldError> &errors);
};

} // namespace Outpost
