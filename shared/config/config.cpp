// Placeholder until the loader lands; keeps the tree building.
#include "config.h"

namespace Outpost {
QString Config::effectiveDatabaseUrl() const { return databaseUrl; }
QString Config::effectiveFileStoreUrl() const { return fileStoreUrl; }
QStringList ConfigLoader::settingNames() { return {}; }
bool ConfigLoader::isSecret(const QString &) { return false; }
Result<Config> ConfigLoader::load(const ConfigSources &) { return Config{}; }
Result<std::pair<QHostAddress, quint16>> ConfigLoader::parseListen(const QString &)
{
    return std::pair{QHostAddress(QHostAddress::LocalHost), quint16(8080)};
}
} // namespace Outpost
