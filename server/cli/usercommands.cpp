#include "usercommands.h"

#include "auth/passwordhasher.h"
#include "cli.h"
#include "db/database.h"
#include "db/opendatabase.h"
#include "services/auditservice.h"
#include "services/userservice.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cstdio>
#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

namespace Outpost::Server::Cli {

namespace {

// One line from stdin; with a terminal (a console on Windows), asks without echo.
QString readPassword(const QString &prompt)
{
#ifdef Q_OS_WIN
    const HANDLE input = ::GetStdHandle(STD_INPUT_HANDLE);
    DWORD saved = 0;
    const bool tty = ::GetConsoleMode(input, &saved) != 0;
    if (tty) {
        std::fprintf(stderr, "%s", qPrintable(prompt));
        ::SetConsoleMode(input, saved & ~DWORD(ENABLE_ECHO_INPUT));
    }
#else
    const bool tty = ::isatty(STDIN_FILENO) != 0;
    termios saved {};
    if (tty) {
        std::fprintf(stderr, "%s", qPrintable(prompt));
        ::tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
#endif
    QTextStream in(stdin);
    const QString line = in.readLine();
    if (tty) {
#ifdef Q_OS_WIN
        ::SetConsoleMode(input, saved);
#else
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
#endif
        std::fprintf(stderr, "\n");
    }
    return line;
}

const Principal &cliAdmin()
{
    static const Principal principal {0, Roles::admin, QStringLiteral("cli"), {}, 0, {}};
    return principal;
}

void printUser(const User &user)
{
    std::printf("%-6lld %-32s %-16s %-6s %s\n", static_cast<long long>(user.id),
        qPrintable(user.email),
        qPrintable(user.username.isEmpty() ? QStringLiteral("-") : user.username),
        qPrintable(user.role), user.disabled ? "disabled" : "active");
}

} // namespace

int runUserCommand(const Config &config, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "outpost-server user create --email E [--username U] [--admin] [--password-stdin]\n"
        "outpost-server user list [--search TEXT]\n"
        "outpost-server user set-role --email E --role admin|user\n"
        "outpost-server user disable --email E [--enable]\n"
        "outpost-server user reset-password --email E [--password-stdin]"));
    const QCommandLineOption email(
        QStringLiteral("email"), QStringLiteral("The user's email."), QStringLiteral("EMAIL"));
    const QCommandLineOption username(
        QStringLiteral("username"), QStringLiteral("Username."), QStringLiteral("NAME"));
    const QCommandLineOption admin(QStringLiteral("admin"), QStringLiteral("Make an admin."));
    const QCommandLineOption role(
        QStringLiteral("role"), QStringLiteral("admin or user."), QStringLiteral("ROLE"));
    const QCommandLineOption enable(QStringLiteral("enable"), QStringLiteral("Enable instead."));
    const QCommandLineOption search(
        QStringLiteral("search"), QStringLiteral("Filter."), QStringLiteral("TEXT"));
    const QCommandLineOption passwordStdin(
        QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input."));
    // The server options were parsed already; accept them here too.
    for (const char *name :
        {"listen", "data-dir", "database", "config", "threads", "tls-cert", "tls-key"})
        parser.addOption(
            QCommandLineOption(QString::fromLatin1(name), QString(), QStringLiteral("V")));
    parser.addOption(QCommandLineOption(QStringLiteral("no-migrate")));
    parser.addOptions({email, username, admin, role, enable, search, passwordStdin});
    parser.addPositionalArgument(QStringLiteral("user"), QString());
    parser.addPositionalArgument(QStringLiteral("action"), QString());
    if (!parser.parse(arguments))
        return failWith(parser.errorText(), Usage);
    const QString action = parser.positionalArguments().value(1);

    // Every action but `list` writes: those wait for no server, they refuse to run beside one.
    auto opened = openDatabase(config, SchemaStep::Migrate, DataDirectory::ForSqlite,
        action == QLatin1String("list") ? DataDirAccess::Shared : DataDirAccess::Exclusive);
    if (!opened) {
        return failWith(
            opened.error().detail, opened.error().code == ErrorCode::Validation ? Usage : Failure);
    }
    Database &database = *opened->database;
    const PasswordHasher hasher(config.bcryptCost);
    const AuditService audit(database);
    UserService users(database, hasher, audit, true, PasswordLogin::On);
    const Caller caller {cliAdmin(), QStringLiteral("cli"), false, {}};

    auto needEmail = [&]() -> QString { return parser.value(email).trimmed(); };
    auto userId = [&]() -> Result<qint64> {
        auto user = users.getByEmail(needEmail());
        return user ? Result<qint64>(user->id) : fail(user.error());
    };

    int code = Ok;
    if (action == QLatin1String("create")) {
        if (!parser.isSet(email))
            return failWith(QStringLiteral("user create needs --email"), Usage);
        UserCreate create;
        create.email = needEmail();
        create.username = parser.value(username);
        create.password = readPassword(QStringLiteral("Password for %1: ").arg(create.email));
        QJsonObject json = create.toJson();
        auto valid = UserCreate::fromJson(json);
        if (!valid)
            return failWith(valid.error().detail, Usage);
        auto user = users.createUser(
            *valid, parser.isSet(admin) ? Roles::admin : Roles::user, QStringLiteral("cli"));
        if (!user)
            return failWith(user.error().detail);
        printUser(*user);
    } else if (action == QLatin1String("list")) {
        PageRequest page;
        page.limit = 100;
        for (qint64 shown = 0;; page.skip += page.limit) {
            auto list = users.list(page, parser.value(search));
            if (!list)
                return failWith(list.error().detail);
            for (const User &user : list->items)
                printUser(user);
            shown += list->items.size();
            if (list->items.isEmpty() || shown >= list->total)
                break;
        }
    } else if (action == QLatin1String("set-role") || action == QLatin1String("disable")
        || action == QLatin1String("reset-password")) {
        if (!parser.isSet(email))
            return failWith(QStringLiteral("user %1 needs --email").arg(action), Usage);
        auto id = userId();
        if (!id)
            return failWith(id.error().detail);
        UserUpdate update;
        if (action == QLatin1String("set-role")) {
            const QString value = parser.value(role);
            if (value != Roles::admin && value != Roles::user)
                return failWith(QStringLiteral("--role must be admin or user"), Usage);
            update.role = value;
        } else if (action == QLatin1String("disable")) {
            update.disabled = !parser.isSet(enable);
        } else {
            const QString password = readPassword(QStringLiteral("New password: "));
            if (auto problem = UserRules::passwordProblem(password))
                return failWith(QStringLiteral("password: ") + *problem, Usage);
            update.password = password;
        }
        auto user = users.update(*id, update, caller);
        if (!user)
            return failWith(user.error().detail);
        printUser(*user);
    } else {
        std::fprintf(stderr, "%s\n", qPrintable(parser.helpText()));
        code = Usage;
    }
    database.closeThreadConnection();
    return code;
}

} // namespace Outpost::Server::Cli
