#pragma once

#include <QString>
#include <QStringList>

// SQL scripts (the migration files) as the single statements QSqlQuery runs. Internal to
// server/db.
namespace Outpost::Server::SqlScript {

// Splits `sql` on ';' outside quotes ('text', "identifier"), comments, PostgreSQL dollar-quoted
// bodies ($$ ... $$, $tag$ ... $tag$) and CREATE TRIGGER ... BEGIN ... END blocks. Comments
// are removed; empty statements are dropped.
QStringList splitStatements(const QString &sql);

} // namespace Outpost::Server::SqlScript
