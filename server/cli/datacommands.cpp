#include "datacommands.h"

#include "cli.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "db/datatransfer.h"
#include "db/migrator.h"
#include "db/opendatabase.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cstdio>

namespace Outpost::Server::Cli {

namespace {

const QString kFormat = QStringLiteral("outpost-export");
constexpr int kFormatVersion = 1;

QString describe(const Error &error)
{
    if (error.fields.isEmpty())
        return error.detail;
    QStringList parts;
    for (const FieldError &field : error.fields)
        parts.append(field.field + u' ' + field.message);
    return parts.join(QStringLiteral("; "));
}

// The configured database: migrated up to date and locked for writing, or (`migrate` false)
// checked to be one this binary knows, for reading beside a running server.
Result<OpenedDatabase> openTarget(const Config &config, bool migrate)
{
    return openDatabase(config, migrate ? SchemaStep::Migrate : SchemaStep::CheckCompatible,
        DataDirectory::ForSqlite, migrate ? DataDirAccess::Exclusive : DataDirAccess::Shared);
}

int exportTo(const Config &config, const QString &path)
{
    auto opened = openTarget(config, false);
    if (!opened)
        return failWith(opened.error().detail);
    Database *const database = opened->database.get();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failWith(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    const auto version = Migrator(*database).currentVersion();
    file.write(QJsonDocument(QJsonObject {{QStringLiteral("format"), kFormat},
                                 {QStringLiteral("version"), kFormatVersion},
                                 {QStringLiteral("schema_version"), version ? *version : 0}})
                   .toJson(QJsonDocument::Compact)
        + '\n');
    qint64 rows = 0;
    const Status exported =
        DataTransfer(*database).exportRows([&](const QString &table, const QJsonObject &row) {
            ++rows;
            const QByteArray line = QJsonDocument(
                QJsonObject {{QStringLiteral("table"), table},
                    {QStringLiteral("row"),
                        row}}).toJson(QJsonDocument::Compact);
            return file.write(line + '\n') == line.size() + 1;
        });
    if (!exported)
        return failWith(exported.error().detail);
    if (!file.commit())
        return failWith(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    std::printf("exported %lld row(s) to %s\n", static_cast<long long>(rows), qPrintable(path));
    database->closeThreadConnection();
    return Ok;
}

// Writes rows from `source` into the configured database in one transaction.
int importRows(const Config &config,
    const std::function<Status(const std::function<Status(const QString &, const QJsonObject &)> &)>
        &source)
{
    auto opened = openTarget(config, true);
    if (!opened)
        return failWith(opened.error().detail);
    Database *const database = opened->database.get();
    int code = Ok;
    {
        DataTransfer transfer(*database);
        const auto existing = transfer.existingRows();
        if (!existing)
            return failWith(existing.error().detail);
        if (*existing > 0)
            return failWith(QStringLiteral("the target database already has %1 row(s) of users, "
                                           "posts, votes, files or pipelines; import only into "
                                           "an empty database")
                                .arg(*existing));
        if (Status begun = transfer.begin(); !begun)
            return failWith(begun.error().detail);
        qint64 rows = 0;
        const Status read = source([&](const QString &table, const QJsonObject &row) -> Status {
            ++rows;
            return transfer.insert(table, row);
        });
        if (!read) {
            code = failWith(describe(read.error()) + QStringLiteral("; nothing was imported"));
        } else if (Status committed = transfer.commit(); !committed) {
            code = failWith(committed.error().detail + QStringLiteral("; nothing was imported"));
        } else {
            std::printf("imported %lld row(s)\n", static_cast<long long>(rows));
        }
    }
    database->closeThreadConnection();
    return code;
}

int importFrom(const Config &config, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failWith(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return importRows(config, [&](const auto &insert) -> Status {
        qint64 number = 0;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            ++number;
            const auto bad = [&](const QString &what) {
                return fail(Error::validation(QStringLiteral("line %1").arg(number), what));
            };
            if (line.isEmpty())
                continue;
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
            if (parseError.error != QJsonParseError::NoError || !document.isObject())
                return bad(QStringLiteral("is not a JSON object"));
            const QJsonObject object = document.object();
            if (number == 1) {
                if (object.value(QStringLiteral("format")).toString() != kFormat)
                    return bad(QStringLiteral("is not an outpost-server export header"));
                if (object.value(QStringLiteral("version")).toInt() != kFormatVersion)
                    return bad(QStringLiteral("has an export format version this "
                                              "outpost-server does not read"));
                continue;
            }
            const QString table = object.value(QStringLiteral("table")).toString();
            if (table.isEmpty() || !object.value(QStringLiteral("row")).isObject())
                return bad(QStringLiteral("needs \"table\" and a \"row\" object"));
            if (Status inserted = insert(table, object.value(QStringLiteral("row")).toObject());
                !inserted) {
                return bad(describe(inserted.error()));
            }
        }
        if (number == 0)
            return fail(Error::validation(QStringLiteral("input"), QStringLiteral("is empty")));
        return {};
    });
}

int importFastApi(const Config &config, const QString &from)
{
    auto url = DatabaseUrl::parse(from);
    if (!url)
        return failWith(QStringLiteral("--from: ") + url.error().fields.value(0).message, Usage);
    Database source(*url);
    if (Result<QSqlDatabase> opened = source.open(); !opened)
        return failWith(QStringLiteral("--from: ") + opened.error().detail);
    const int code = importRows(config, [&](const auto &insert) -> Status {
        Status inserted;
        const Status read =
            DataTransfer(source).readFastApi([&](const QString &table, const QJsonObject &row) {
                inserted = insert(table, row);
                return bool(inserted);
            });
        if (!inserted)
            return inserted;
        return read;
    });
    source.closeThreadConnection();
    return code;
}

} // namespace

int runDataCommand(const Config &config, const QString &command, const QString &path)
{
    if (path.isEmpty()) {
        const char *option = command == QLatin1String("export") ? "--output FILE.jsonl"
            : command == QLatin1String("import")                ? "--input FILE.jsonl"
                                                                : "--from postgresql://...";
        return failWith(QStringLiteral("%1 needs %2").arg(command, QLatin1String(option)), Usage);
    }
    if (command == QLatin1String("export"))
        return exportTo(config, path);
    if (command == QLatin1String("import"))
        return importFrom(config, path);
    return importFastApi(config, path);
}

} // namespace Outpost::Server::Cli
