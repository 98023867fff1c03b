#pragma once

#include "core/result.h"

#include <QMap>
#include <QString>

namespace Outpost::Server {

// Where the database lives, as given by OUTPOST_DATABASE_URL:
//   sqlite:///absolute/path/outpost.db      (sqlite::memory: or sqlite:///:memory: for RAM)
//   postgresql://user:password@host:5432/database?sslmode=require&connect_timeout=5
// The password is kept only to open connections; redacted() is what logs and messages show.
struct DatabaseUrl
{
    enum class Driver { Sqlite, Postgres };

    Driver driver = Driver::Sqlite;
    QString path; // SQLite: absolute file path, or ":memory:"
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QMap<QString, QString> options; // PostgreSQL connection parameters (sslmode, ...)

    // Errors are Error::validation on "OUTPOST_DATABASE_URL" and never contain the password.
    static Result<DatabaseUrl> parse(const QString &url);
    // parse(), then `password` (OUTPOST_DATABASE_PASSWORD or its _FILE) when the URL has none.
    static Result<DatabaseUrl> parse(const QString &url, const QByteArray &password);
    // A SQLite URL for a file path (no percent-encoding needed), as the embedded server uses.
    static DatabaseUrl sqliteFile(const QString &absolutePath);

    bool isInMemory() const { return driver == Driver::Sqlite && path == memoryPath(); }
    QString redacted() const;     // the URL with the password replaced by ***
    QString qtDriverName() const; // "QSQLITE" or "QPSQL"
    QString dialect() const;      // "sqlite" or "postgresql"

    static QString memoryPath() { return QStringLiteral(":memory:"); }
};

} // namespace Outpost::Server
