#include "configlayer.h"

#include "config.h"
#include "dotenvfile.h"

#include <QFileInfo>
#include <QSettings>

#include <algorithm>
#include <vector>

namespace Outpost {

namespace {

constexpr QLatin1String fileSuffix("_FILE");
constexpr QLatin1String variablePrefix("OUTPOST_");

// "JWT_SECRET" and, for secrets, "JWT_SECRET_FILE" are the keys a layer may hold.
bool isKnownKey(const QString &key)
{
    if (ConfigLoader::settingNames().contains(key) || ConfigLoader::isOidcProviderKey(key)) {
        return true;
    }
    return key.endsWith(fileSuffix) && ConfigLoader::isSecret(key.chopped(fileSuffix.size()));
}

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> row(size_t(b.size()) + 1);
    for (size_t j = 0; j < row.size(); ++j) {
        row[j] = int(j);
    }
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[size_t(j)];
            row[size_t(j)] = std::min({above + 1, row[size_t(j - 1)] + 1,
                diagonal + (a.at(i - 1) == b.at(j - 1) ? 0 : 1)});
            diagonal = above;
        }
    }
    return row.back();
}

// "unknown setting (did you mean bcrypt_cost?)" for near misses.
QString unknownSettingMessage(const ConfigLayer &layer, const QString &key)
{
    QString best;
    int bestDistance = 3;
    const QStringList names = ConfigLoader::settingNames();
    for (const QString &name : names) {
        const int d = editDistance(key, name);
        if (d < bestDistance) {
            bestDistance = d;
            best = name;
        }
    }
    return best.isEmpty()
        ? QStringLiteral("unknown setting")
        : QStringLiteral("unknown setting (did you mean %1?)").arg(layer.spelling(best));
}

// Keeps OUTPOST_<known key>; other variables belong to someone else.
void takeOutpostVariable(ConfigLayer &layer, const QString &variable, const QString &value)
{
    if (!variable.startsWith(variablePrefix)) {
        return;
    }
    const QString key = variable.mid(variablePrefix.size());
    if (isKnownKey(key)) {
        layer.values.insert(key, value);
    }
}

} // namespace

QString ConfigLayer::spelling(const QString &key) const
{
    switch (kind) {
    case Kind::ConfigFile:
        return key.toLower();
    case Kind::DotEnv:
    case Kind::Environment:
        return variablePrefix + key;
    case Kind::CommandLine:
        return QStringLiteral("--") + key.toLower().replace(u'_', u'-');
    }
    return key;
}

QString ConfigLayer::fieldName(const QString &key) const
{
    return fileName.isEmpty() ? spelling(key) : spelling(key) + QStringLiteral(" in ") + fileName;
}

ConfigLayer ConfigLayer::fromConfigFile(const QString &path, QList<FieldError> &errors)
{
    ConfigLayer layer {Kind::ConfigFile, path, {}};
    if (path.isEmpty()) {
        return layer;
    }
    const QFileInfo info(path);
    if (!info.exists()) {
        errors.append({path, QStringLiteral("the config file does not exist")});
        return layer;
    }
    if (!info.isFile() || !info.isReadable()) {
        errors.append({path, QStringLiteral("the config file cannot be read")});
        return layer;
    }

    const QSettings ini(path, QSettings::IniFormat);
    const QStringList keys = ini.allKeys();
    if (ini.status() != QSettings::NoError) {
        errors.append({path, QStringLiteral("the config file is not valid INI")});
        return layer;
    }
    const QString in = QStringLiteral(" in ") + path;
    QMap<QString, QString> writtenAs; // setting name -> key as written, with its section
    for (const QString &entry : keys) {
        const qsizetype slash = entry.indexOf(u'/');
        const QString group = slash < 0 ? QString() : entry.left(slash);
        const QString key = slash < 0 ? entry : entry.mid(slash + 1);
        if (!group.isEmpty() && group.compare(u"server", Qt::CaseInsensitive) != 0) {
            errors.append({QStringLiteral("[%1]").arg(group) + in,
                QStringLiteral("unknown section (settings go at the top or in [server])")});
            continue;
        }
        const QString name = key.toUpper();
        if (!isKnownKey(name)) {
            errors.append({key + in, unknownSettingMessage(layer, name)});
            continue;
        }
        if (writtenAs.contains(name)) {
            errors.append({key + in,
                QStringLiteral("set twice (as %1 and %2)").arg(writtenAs.value(name), entry)});
            continue;
        }
        writtenAs.insert(name, entry);
        // QSettings reads "a, b" as a list; settings are plain text, so join it back.
        const QVariant value = ini.value(entry);
        layer.values.insert(name,
            value.userType() == QMetaType::QStringList ? value.toStringList().join(u',')
                                                       : value.toString());
    }
    return layer;
}

ConfigLayer ConfigLayer::fromDotEnv(const QString &path, QList<FieldError> &errors)
{
    ConfigLayer layer {Kind::DotEnv, path, {}};
    if (path.isEmpty()) {
        return layer;
    }
    const Result<QList<DotEnvEntry>> entries = DotEnvFile::read(path);
    if (!entries) {
        errors.append(entries.error().fields);
        return layer;
    }
    for (const DotEnvEntry &entry : *entries) {
        takeOutpostVariable(layer, entry.key, entry.value); // later lines win, as in a shell
    }
    return layer;
}

ConfigLayer ConfigLayer::fromEnvironment(const QProcessEnvironment &environment)
{
    ConfigLayer layer {Kind::Environment, QString(), {}};
    const QStringList variables = environment.keys();
    for (const QString &variable : variables) {
        takeOutpostVariable(layer, variable, environment.value(variable));
    }
    return layer;
}

ConfigLayer ConfigLayer::fromCommandLine(
    const QMap<QString, QString> &options, QList<FieldError> &errors)
{
    ConfigLayer layer {Kind::CommandLine, QString(), {}};
    for (auto it = options.cbegin(); it != options.cend(); ++it) {
        const QString key = it.key().toUpper().replace(u'-', u'_');
        if (!isKnownKey(key)) {
            errors.append({layer.spelling(key), unknownSettingMessage(layer, key)});
            continue;
        }
        layer.values.insert(key, it.value());
    }
    return layer;
}

} // namespace Outpost
