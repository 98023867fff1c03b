#include "ctl.h"

#include "core/version.h"
#include "models/user.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace Outpost::Ctl {

namespace {

// -h/--help without Qt's --help-all (there are no Qt options worth showing).
QCommandLineOption helpOption()
{
    return {{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")};
}

bool isTerminal(FILE *stream)
{
#ifdef Q_OS_UNIX
    return isatty(fileno(stream)) != 0;
#else
    Q_UNUSED(stream);
    return false;
#endif
}

} // namespace

Ctl::Ctl() = default;

// Options every command takes.
QList<QCommandLineOption> Ctl::globalOptions()
{
    return {
        {QStringLiteral("server"),
            QStringLiteral("Server URL, instead of the context's (env OUTPOST_URL)."),
            QStringLiteral("url")},
        {QStringLiteral("token"),
            QStringLiteral("API key to sign in with, instead of the context's session "
                           "(env OUTPOST_TOKEN)."),
            QStringLiteral("key")},
        {QStringLiteral("context"), QStringLiteral("Context to use instead of the current one."),
            QStringLiteral("name")},
        {{QStringLiteral("o"), QStringLiteral("output")},
            QStringLiteral("Output format: table (default), json (the API's JSON), yaml, name."),
            QStringLiteral("format"), QStringLiteral("table")},
    };
}

void Ctl::out(const QByteArray &bytes)
{
    // Nothing useful to do when standard output is gone; the exit code still tells.
    (void)std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    (void)std::fflush(stdout);
}

void Ctl::err(const QString &text)
{
    errRaw(text.toUtf8() + '\n');
}

void Ctl::errRaw(const QByteArray &bytes)
{
    (void)std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    (void)std::fflush(stderr);
}

bool Ctl::stdoutIsTerminal() const
{
    return isTerminal(stdout);
}

bool Ctl::stderrIsTerminal() const
{
    return isTerminal(stderr);
}

bool Ctl::stdinIsTerminal() const
{
    return isTerminal(stdin);
}

QString Ctl::encoded(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

int Ctl::usage(const QString &message)
{
    err(QStringLiteral("outpostctl: %1").arg(message));
    err(QStringLiteral("Try 'outpostctl --help'."));
    return Usage;
}

int Ctl::run(const QStringList &arguments)
{
    const QList<Command> all = commands();
    // The command words come first among the words that are not options (nor their values).
    QStringList rest {arguments.value(0)};
    QStringList words;
    static const QStringList valued {QStringLiteral("--server"), QStringLiteral("--token"),
        QStringLiteral("--context"), QStringLiteral("-o"), QStringLiteral("--output")};
    bool commandDone = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument.startsWith(QLatin1Char('-')) || commandDone) {
            rest.append(argument);
            if (valued.contains(argument) && i + 1 < arguments.size() && !commandDone)
                rest.append(arguments.at(++i));
            continue;
        }
        words.append(argument);
        const QString joined = words.join(QLatin1Char(' '));
        const bool prefix = std::any_of(all.begin(), all.end(), [&](const Command &command) {
            return command.name.startsWith(joined + QLatin1Char(' '));
        });
        const bool exact = std::any_of(
            all.begin(), all.end(), [&](const Command &command) { return command.name == joined; });
        if (exact || !prefix)
            commandDone = true;
    }
    const QString name = words.join(QLatin1Char(' '));
    const auto found = std::find_if(
        all.begin(), all.end(), [&](const Command &command) { return command.name == name; });

    if (found == all.end()) {
        QCommandLineParser top;
        top.setApplicationDescription(
            QStringLiteral("outpostctl: the command line for Outpost servers."));
        top.addOptions(globalOptions());
        top.addOption(helpOption());
        top.addVersionOption();
        top.addPositionalArgument(QStringLiteral("command"),
            QStringLiteral("One of the commands below."), QStringLiteral("command [arguments]"));
        if (!top.parse(rest))
            return usage(top.errorText());
        if (top.isSet(QStringLiteral("version"))) {
            out(QByteArray("outpostctl ") + Outpost::kVersion + '\n');
            return Ok;
        }
        if (!words.isEmpty())
            return usage(QStringLiteral("unknown command '%1'").arg(name));
        QString help = top.helpText();
        help = QStringLiteral("Usage: outpostctl [options] command [arguments]")
            + help.mid(help.indexOf(QLatin1Char('\n'))) + QStringLiteral("\nCommands:\n");
        for (const Command &command : all) {
            const QString synopsis =
                QString(command.name + QLatin1Char(' ') + command.arguments).trimmed();
            help += QStringLiteral("  %1  %2\n").arg(synopsis.leftJustified(30), command.summary);
        }
        help += QStringLiteral("\n'outpostctl COMMAND --help' shows a command's options.\n"
                               "Exit codes: 0 ok, 1 other failure, 2 usage, 3 not found, "
                               "4 conflict, 5 authentication.\n");
        out(help.toUtf8());
        return top.isSet(QStringLiteral("help")) ? Ok : Usage;
    }

    m_parser.setApplicationDescription(found->summary);
    m_parser.addOptions(globalOptions());
    m_parser.addOptions(found->options);
    m_parser.addOption(helpOption());
    for (const QString &argument : found->arguments.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        m_parser.addPositionalArgument(argument.toLower(), {}, argument);
    QCoreApplication::setApplicationName(QStringLiteral("outpostctl ") + name);
    if (!m_parser.parse(rest))
        return usage(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        // The usage line names the command, not the path the program was started by.
        QString help = m_parser.helpText();
        help = help.mid(help.indexOf(QLatin1Char('\n')));
        out(QStringLiteral("Usage: outpostctl %1 [options] %2").arg(name, found->arguments).toUtf8()
            + help.toUtf8());
        return Ok;
    }
    if (!Output::parseFormat(value(QStringLiteral("output")), &m_format)) {
        return usage(QStringLiteral("unknown output format '%1' (table, json, yaml, name)")
                         .arg(value(QStringLiteral("output"))));
    }
    if (found->needsServer) {
        if (const int code = connectToServer())
            return code;
    }
    return found->handler(*this);
}

QString Ctl::positional(int index) const
{
    return m_parser.positionalArguments().value(index);
}

bool Ctl::needPositionals(int count)
{
    return m_parser.positionalArguments().size() >= count;
}

int Ctl::exitCodeFor(int status)
{
    switch (status) {
    case 401:
    case 403:
        return Auth;
    case 404:
    case 410:
        return NotFound;
    case 409:
    case 412:
        return Conflict;
    default:
        return Failure;
    }
}

Client::ApiResponse Ctl::wait(Client::ApiCall *call)
{
    Client::ApiResponse result;
    QEventLoop loop;
    connect(call, &Client::ApiCall::finished, &loop, [&](const Client::ApiResponse &response) {
        result = response;
        loop.quit();
    });
    loop.exec();
    return result;
}

int Ctl::fail(const Client::ApiResponse &response)
{
    if (response.status == 0) {
        err(QStringLiteral("outpostctl: no answer from %1: %2")
                .arg(m_client.baseUrl().toString(), response.networkError));
        return Failure;
    }
    const Client::ApiProblem &problem = response.problem;
    QString title =
        problem.title.isEmpty() ? QStringLiteral("HTTP %1").arg(response.status) : problem.title;
    err(problem.detail.isEmpty() ? QStringLiteral("Error: %1").arg(title)
                                 : QStringLiteral("Error: %1: %2").arg(title, problem.detail));
    for (const FieldError &field : problem.fields)
        err(QStringLiteral("  %1: %2").arg(field.field, field.message));
    return exitCodeFor(response.status);
}

int Ctl::finish(const Client::ApiResponse &response, const View &view, bool oneResource)
{
    if (!response.ok())
        return fail(response);
    if (response.status == 204 || response.body.isEmpty())
        return Ok;
    const QJsonDocument document = QJsonDocument::fromJson(response.body);
    // A single resource reads best as key: value lines.
    if (m_format == Format::Table && document.isObject() && (view.columns.isEmpty() || oneResource)
        && !document.object().value(QStringLiteral("items")).isArray()) {
        out(Output::toYaml(document.object()));
        return Ok;
    }
    out(Output::render(response.body, m_format, view));
    return Ok;
}

int Ctl::connectToServer()
{
    QString server = value(QStringLiteral("server"));
    if (server.isEmpty())
        server = qEnvironmentVariable("OUTPOST_URL");
    QString token = value(QStringLiteral("token"));
    if (token.isEmpty())
        token = qEnvironmentVariable("OUTPOST_TOKEN");
    QString error;
    if (!m_store.load(&error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Failure;
    }
    const QString name =
        isSet(QStringLiteral("context")) ? value(QStringLiteral("context")) : m_store.current();
    if (isSet(QStringLiteral("context")) && !m_store.contains(name)) {
        err(QStringLiteral("outpostctl: no context named '%1' (outpostctl context list)")
                .arg(name));
        return NotFound;
    }
    if (!server.isEmpty() || !token.isEmpty()) {
        // Scripts: an API key (or nothing, for public reads) instead of a stored session.
        if (server.isEmpty())
            server = m_store.context(name).server.toString();
        const QUrl url(server);
        if (server.isEmpty() || !url.isValid() || url.scheme().isEmpty()) {
            return usage(QStringLiteral(
                "no server: give --server URL or OUTPOST_URL, or log in to a context"));
        }
        m_client.setBaseUrl(url);
        m_client.setTokens(token, {});
        return Ok;
    }
    if (name.isEmpty() || !m_store.contains(name)) {
        err(QStringLiteral("outpostctl: not logged in: run 'outpostctl login URL', or give "
                           "--server and --token"));
        return Auth;
    }
    m_context = m_store.context(name);
    m_client.setBaseUrl(m_context.server);
    const QString refreshToken = m_store.readToken(m_context, &error);
    if (refreshToken.isEmpty()) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Auth;
    }
    // A fresh access token for this run; the refresh token rotates, so keep the new one.
    const Client::ApiResponse response =
        wait(m_client.send("POST", QStringLiteral("/v1/token/refresh"), {},
            QJsonDocument(QJsonObject {{QStringLiteral("refresh_token"), refreshToken}})
                .toJson(QJsonDocument::Compact),
            {{"Content-Type", "application/json"}}));
    if (!response.ok()) {
        if (response.status == 401) {
            err(QStringLiteral("outpostctl: the session of context '%1' has ended: log in again")
                    .arg(m_context.name));
        }
        return fail(response);
    }
    const Result<TokenPair> tokens = TokenPair::fromJson(response.object());
    if (!tokens) {
        err(QStringLiteral("outpostctl: the server's token answer is not understood"));
        return Failure;
    }
    m_client.setTokens(tokens->accessToken, tokens->refreshToken);
    if (!m_store.writeToken(m_context, tokens->refreshToken, &error)) {
        err(QStringLiteral("outpostctl: %1").arg(error));
        return Failure;
    }
    return Ok;
}

} // namespace Outpost::Ctl
