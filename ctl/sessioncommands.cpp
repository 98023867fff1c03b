// outpostctl's session commands: login, logout, context list/use.
#include "ctl.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

namespace Outpost::Ctl {

QString Ctl::readPassword(QString *error)
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read standard input");
        return {};
    }
    if (isSet(QStringLiteral("password-stdin"))) {
        QByteArray line = in.readLine();
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        return QString::fromUtf8(line);
    }
#ifdef Q_OS_UNIX
    if (isatty(STDIN_FILENO) == 0) {
        *error = QStringLiteral("no terminal to ask for the password: use --password-stdin");
        return {};
    }
    errRaw("Password: ");
    termios saved {};
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    QByteArray line = in.readLine();
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    errRaw("\n");
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return QString::fromUtf8(line);
#else
    *error = QStringLiteral("use --password-stdin");
    return {};
#endif
}

int Ctl::login()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("login needs the server's URL"));
    const QUrl url(positional(0));
    if (!url.isValid()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return usage(QStringLiteral("'%1' is not an http(s) URL").arg(positional(0)));
    QString email = value(QStringLiteral("email"));
    if (email.isEmpty()) {
        if (isSet(QStringLiteral("password-stdin")) || !stdinIsTerminal())
            return usage(QStringLiteral("give --email"));
        errRaw("E-mail: ");
        QFile in;
        if (in.open(stdin, QIODevice::ReadOnly))
            email = QString::fromUtf8(in.readLine()).trimmed();
    }
    QString error;
    const QString password = readPassword(&error);
    if (!error.isEmpty())
        return usage(error);
    QString error2;
    if (!m_store.load(&error2)) {
        err(QStringLiteral("outpostctl: %1").arg(error2));
        return Failure;
    }
    Context context;
    context.name = isSet(QStringLiteral("name"))
        ? value(QStringLiteral("name"))
        : url.host() + (url.port() > 0 ? QStringLiteral(":%1").arg(url.port()) : QString());
    context.server = url.adjusted(QUrl::StripTrailingSlash);
    context.email = email;
    context.tokenStore = isSet(QStringLiteral("insecure-store")) ? QStringLiteral("file")
                                                                 : QStringLiteral("keychain");
    m_client.setBaseUrl(context.server);
    const Client::ApiResponse response = wait(m_client.login(email, password));
    if (!response.ok())
        return fail(response);
    if (!m_store.writeToken(context, m_client.refreshToken(), &error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        err(QStringLiteral(
            "outpostctl: the session was not kept. Start a keychain (Secret Service, "
            "KWallet), or log in with --insecure-store to keep the token in %1, "
            "readable by you only.")
                .arg(m_store.credentialsPath()));
        wait(m_client.logout());
        return Failure;
    }
    m_store.put(context);
    m_store.setCurrent(context.name);
    if (!m_store.save(&error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Failure;
    }
    err(QStringLiteral("Logged in to %1 as %2 (context %3).")
            .arg(context.server.toString(), email, context.name));
    return Ok;
}

int Ctl::logout()
{
    QString error;
    if (!m_store.load(&error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Failure;
    }
    const QString name =
        isSet(QStringLiteral("context")) ? value(QStringLiteral("context")) : m_store.current();
    if (name.isEmpty() || !m_store.contains(name)) {
        err(QStringLiteral("outpostctl: no context to log out of"));
        return NotFound;
    }
    const Context context = m_store.context(name);
    const QString token = m_store.readToken(context, &error);
    if (!token.isEmpty()) {
        m_client.setBaseUrl(context.server);
        m_client.setTokens({}, token);
        const Client::ApiResponse response = wait(m_client.logout());
        if (!response.ok() && response.status != 401) {
            err(QStringLiteral("outpostctl: the server did not end the session: %1")
                    .arg(response.errorText()));
        }
    }
    m_store.removeToken(context);
    m_store.remove(name);
    if (!m_store.save(&error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Failure;
    }
    err(QStringLiteral("Logged out of %1.").arg(name));
    return Ok;
}

int Ctl::contextList()
{
    QString error;
    if (!m_store.load(&error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Failure;
    }
    QJsonArray rows;
    for (const Context &context : m_store.contexts()) {
        rows.append(QJsonObject {{QStringLiteral("name"), context.name},
            {QStringLiteral("server"), context.server.toString()},
            {QStringLiteral("email"), context.email},
            {QStringLiteral("token_store"), context.tokenStore},
            {QStringLiteral("current"), context.name == m_store.current()}});
    }
    const QByteArray body = QJsonDocument(rows).toJson(QJsonDocument::Compact);
    out(Output::render(body, m_format,
        {{QStringLiteral("current"), QStringLiteral("name"), QStringLiteral("server"),
             QStringLiteral("email"), QStringLiteral("token_store")},
            QStringLiteral("name")}));
    return Ok;
}

int Ctl::contextUse()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("context use needs a context's name"));
    QString error;
    if (!m_store.load(&error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Failure;
    }
    if (!m_store.contains(positional(0))) {
        err(QStringLiteral("outpostctl: no context named '%1'").arg(positional(0)));
        return NotFound;
    }
    m_store.setCurrent(positional(0));
    if (!m_store.save(&error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Failure;
    }
    err(QStringLiteral("Switched to context %1.").arg(positional(0)));
    return Ok;
}

} // namespace Outpost::Ctl
