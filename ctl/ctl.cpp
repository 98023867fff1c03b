#include "ctl.h"

#include "core/version.h"
#include "models/user.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QWebSocket>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

namespace Outpost::Ctl {

namespace {

// -h/--help without Qt's --help-all (there are no Qt options worth showing).
QCommandLineOption helpOption()
{
    return {{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")};
}

QCommandLineOption pageOption(const QString &name, const QString &description)
{
    return {name, description, QStringLiteral("n")};
}

const QList<QCommandLineOption> kPageOptions {
    pageOption(QStringLiteral("limit"), QStringLiteral("Items per page (1 to 100).")),
    pageOption(QStringLiteral("skip"), QStringLiteral("Items to skip.")),
};

QString encoded(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
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
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void Ctl::err(const QString &text)
{
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
}

bool Ctl::stdoutIsTerminal() const
{
    return isTerminal(stdout);
}

bool Ctl::stderrIsTerminal() const
{
    return isTerminal(stderr);
}

QList<Ctl::Command> Ctl::commands() const
{
    using O = QCommandLineOption;
    const O limitSkip[] = {kPageOptions.at(0), kPageOptions.at(1)};
    QList<O> page(std::begin(limitSkip), std::end(limitSkip));
    return {
        {QStringLiteral("login"),
            QStringLiteral("Sign in to a server and make it the current context."),
            QStringLiteral("URL"),
            {{QStringLiteral("email"),
                 QStringLiteral("E-mail to sign in with (asked for on a terminal)."),
                 QStringLiteral("email")},
                {QStringLiteral("password-stdin"),
                    QStringLiteral("Read the password from the first line of standard input.")},
                {QStringLiteral("name"),
                    QStringLiteral("Name of the context (default: the server's host:port)."),
                    QStringLiteral("context")},
                {QStringLiteral("insecure-store"),
                    QStringLiteral("Without a keychain, keep the refresh token in a file only you "
                                   "can read (credentials.json in the config directory).")}},
            &Ctl::login, false},
        {QStringLiteral("logout"), QStringLiteral("Sign out and forget the context's session."), {},
            {}, &Ctl::logout, false},
        {QStringLiteral("context list"), QStringLiteral("List the contexts."), {}, {},
            &Ctl::contextList, false},
        {QStringLiteral("context use"), QStringLiteral("Make a context the current one."),
            QStringLiteral("NAME"), {}, &Ctl::contextUse, false},
        {QStringLiteral("posts list"), QStringLiteral("List posts, newest first."), {},
            page
                + QList<O> {{QStringLiteral("search"),
                                QStringLiteral("Text in the title or content."),
                                QStringLiteral("text")},
                    {QStringLiteral("owner"), QStringLiteral("Only this user's posts."),
                        QStringLiteral("id")},
                    {QStringLiteral("sort"),
                        QStringLiteral("-created_at (default), created_at or -votes."),
                        QStringLiteral("order")}},
            &Ctl::postsList},
        {QStringLiteral("posts get"), QStringLiteral("Show a post."), QStringLiteral("ID"), {},
            &Ctl::postsGet},
        {QStringLiteral("posts create"), QStringLiteral("Create a post."), {},
            {{QStringLiteral("title"), QStringLiteral("Title."), QStringLiteral("text")},
                {QStringLiteral("content"), QStringLiteral("Content."), QStringLiteral("text")},
                {QStringLiteral("draft"), QStringLiteral("Do not publish it yet.")}},
            &Ctl::postsCreate},
        {QStringLiteral("posts edit"),
            QStringLiteral("Change a post (fails with a conflict if it changed meanwhile)."),
            QStringLiteral("ID"),
            {{QStringLiteral("title"), QStringLiteral("New title."), QStringLiteral("text")},
                {QStringLiteral("content"), QStringLiteral("New content."), QStringLiteral("text")},
                {QStringLiteral("published"), QStringLiteral("true or false."),
                    QStringLiteral("bool")}},
            &Ctl::postsEdit},
        {QStringLiteral("posts delete"), QStringLiteral("Delete a post."), QStringLiteral("ID"), {},
            &Ctl::postsDelete},
        {QStringLiteral("posts vote"), QStringLiteral("Vote for a post."), QStringLiteral("ID"),
            {{QStringLiteral("undo"), QStringLiteral("Take the vote back.")}}, &Ctl::postsVote},
        {QStringLiteral("search"), QStringLiteral("Full-text search over posts and file paths."),
            QStringLiteral("QUERY"), page, &Ctl::search},
        {QStringLiteral("phrases"), QStringLiteral("Key phrases of a post."),
            QStringLiteral("POST_ID"), {}, &Ctl::phrases},
        {QStringLiteral("users list"), QStringLiteral("List users (admins)."), {},
            page
                + QList<O> {{QStringLiteral("search"),
                    QStringLiteral("Part of an e-mail or username."), QStringLiteral("text")}},
            &Ctl::usersList},
        {QStringLiteral("users get"), QStringLiteral("Show a user (\"me\": yourself)."),
            QStringLiteral("ID"), {}, &Ctl::usersGet},
        {QStringLiteral("api-keys list"), QStringLiteral("List API keys (admins)."), {}, page,
            &Ctl::apiKeysList},
        {QStringLiteral("api-keys create"),
            QStringLiteral("Create an API key; its secret is shown this once."),
            QStringLiteral("NAME"),
            {{QStringLiteral("scope"),
                QStringLiteral("read (default), files:write or pipelines:write; repeatable."),
                QStringLiteral("scope")}},
            &Ctl::apiKeysCreate},
        {QStringLiteral("api-keys revoke"), QStringLiteral("Revoke an API key."),
            QStringLiteral("ID"), {}, &Ctl::apiKeysRevoke},
        {QStringLiteral("files ls"), QStringLiteral("List files."), QStringLiteral("[DIRECTORY]"),
            {{QStringLiteral("page-token"), QStringLiteral("Token of the next page."),
                QStringLiteral("token")}},
            &Ctl::filesList},
        {QStringLiteral("files get"),
            QStringLiteral("Download a file (to standard output without LOCAL, or with -)."),
            QStringLiteral("PATH [LOCAL]"), {}, &Ctl::filesGet},
        {QStringLiteral("files put"),
            QStringLiteral("Upload a file; large ones in resumable parts."),
            QStringLiteral("LOCAL PATH"),
            {{QStringLiteral("resumable"),
                 QStringLiteral("Upload in parts even if the file is small (files over 8 MiB "
                                "always are).")},
                {QStringLiteral("resume"),
                    QStringLiteral("Go on with an interrupted upload of the same file to the same "
                                   "path.")},
                {QStringLiteral("content-type"), QStringLiteral("Media type (default: by name)."),
                    QStringLiteral("type")}},
            &Ctl::filesPut},
        {QStringLiteral("files rm"), QStringLiteral("Delete a file."), QStringLiteral("PATH"), {},
            &Ctl::filesRemove},
        {QStringLiteral("pipelines ls"), QStringLiteral("List pipelines."), {}, page,
            &Ctl::pipelinesList},
        {QStringLiteral("pipelines runs"), QStringLiteral("List a pipeline's runs."),
            QStringLiteral("PIPELINE_ID"), page, &Ctl::pipelinesRuns},
        {QStringLiteral("pipelines trigger"), QStringLiteral("Start a run of a local pipeline."),
            QStringLiteral("PIPELINE_ID"), {}, &Ctl::pipelinesTrigger},
        {QStringLiteral("pipelines cancel"), QStringLiteral("Cancel a run."),
            QStringLiteral("RUN_ID"), {}, &Ctl::pipelinesCancel},
        {QStringLiteral("pipelines logs"), QStringLiteral("Print a run's log."),
            QStringLiteral("RUN_ID"),
            {{{QStringLiteral("f"), QStringLiteral("follow")},
                QStringLiteral("Keep printing until the run completes.")}},
            &Ctl::pipelinesLogs},
        {QStringLiteral("events tail"), QStringLiteral("Print changes as they happen."), {},
            {{QStringLiteral("type"), QStringLiteral("Only events of this type; repeatable."),
                 QStringLiteral("type")},
                {QStringLiteral("count"), QStringLiteral("Stop after this many events."),
                    QStringLiteral("n")}},
            &Ctl::eventsTail},
        {QStringLiteral("admin info"), QStringLiteral("Server information (admins)."), {}, {},
            &Ctl::adminInfo},
        {QStringLiteral("admin audit"), QStringLiteral("The audit log (admins)."), {}, page,
            &Ctl::adminAudit},
        {QStringLiteral("wiki"), QStringLiteral("Summary of a wiki page, with key phrases."),
            QStringLiteral("PAGE"), {}, &Ctl::wiki},
        {QStringLiteral("completion"),
            QStringLiteral("Shell completion script: bash, zsh or fish."), QStringLiteral("SHELL"),
            {}, &Ctl::completion, false},
    };
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
    if (!Output::parseFormat(value(QStringLiteral("output")), &m_format))
        return usage(QStringLiteral("unknown output format '%1' (table, json, yaml, name)")
                         .arg(value(QStringLiteral("output"))));
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
        if (response.status == 401)
            err(QStringLiteral("outpostctl: the session of context '%1' has ended: log in again")
                    .arg(m_context.name));
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
    std::fputs("Password: ", stderr);
    std::fflush(stderr);
    termios saved {};
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    QByteArray line = in.readLine();
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputs("\n", stderr);
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
        if (isSet(QStringLiteral("password-stdin")) || !isTerminal(stdin))
            return usage(QStringLiteral("give --email"));
        std::fputs("E-mail: ", stderr);
        std::fflush(stderr);
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
        if (!response.ok() && response.status != 401)
            err(QStringLiteral("outpostctl: the server did not end the session: %1")
                    .arg(response.errorText()));
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

QUrlQuery Ctl::pageQuery() const
{
    QUrlQuery query;
    for (const QString &name : {QStringLiteral("limit"), QStringLiteral("skip")}) {
        if (isSet(name))
            query.addQueryItem(name, value(name));
    }
    return query;
}

namespace {

const View kPostView {
    {QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("owner.username"),
        QStringLiteral("votes"), QStringLiteral("published"), QStringLiteral("created_at")}};

} // namespace

int Ctl::postsList()
{
    QUrlQuery query = pageQuery();
    if (isSet(QStringLiteral("search")))
        query.addQueryItem(QStringLiteral("search"), value(QStringLiteral("search")));
    if (isSet(QStringLiteral("owner")))
        query.addQueryItem(QStringLiteral("owner_id"), value(QStringLiteral("owner")));
    if (isSet(QStringLiteral("sort")))
        query.addQueryItem(QStringLiteral("sort"), value(QStringLiteral("sort")));
    return finish(wait(m_client.get(QStringLiteral("/v1/posts"), query)), kPostView);
}

int Ctl::postsGet()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("posts get needs a post's ID"));
    return finish(wait(m_client.get(QStringLiteral("/v1/posts/") + encoded(positional(0)))));
}

int Ctl::postsCreate()
{
    if (!isSet(QStringLiteral("title")) || !isSet(QStringLiteral("content")))
        return usage(QStringLiteral("posts create needs --title and --content"));
    return finish(wait(m_client.post(QStringLiteral("/v1/posts"),
        {{QStringLiteral("title"), value(QStringLiteral("title"))},
            {QStringLiteral("content"), value(QStringLiteral("content"))},
            {QStringLiteral("published"), !isSet(QStringLiteral("draft"))}})));
}

int Ctl::postsEdit()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("posts edit needs a post's ID"));
    const QString published = value(QStringLiteral("published"));
    if (isSet(QStringLiteral("published")) && published != QLatin1String("true")
        && published != QLatin1String("false"))
        return usage(QStringLiteral("--published takes true or false"));
    const QString path = QStringLiteral("/v1/posts/") + encoded(positional(0));
    // The current post and its version: the change applies only to that version (If-Match).
    const Client::ApiResponse current = wait(m_client.get(path));
    if (!current.ok())
        return fail(current);
    const QJsonObject post = current.object();
    QJsonObject body {{QStringLiteral("title"), post.value(QStringLiteral("title"))},
        {QStringLiteral("content"), post.value(QStringLiteral("content"))},
        {QStringLiteral("published"), post.value(QStringLiteral("published"))}};
    if (isSet(QStringLiteral("title")))
        body.insert(QStringLiteral("title"), value(QStringLiteral("title")));
    if (isSet(QStringLiteral("content")))
        body.insert(QStringLiteral("content"), value(QStringLiteral("content")));
    if (isSet(QStringLiteral("published")))
        body.insert(QStringLiteral("published"), published == QLatin1String("true"));
    return finish(wait(m_client.put(path, body, current.etag)));
}

int Ctl::postsDelete()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("posts delete needs a post's ID"));
    const int code =
        finish(wait(m_client.del(QStringLiteral("/v1/posts/") + encoded(positional(0)))));
    if (code == Ok && m_format == Format::Table)
        err(QStringLiteral("Deleted post %1.").arg(positional(0)));
    return code;
}

int Ctl::postsVote()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("posts vote needs a post's ID"));
    bool number = false;
    const qint64 id = positional(0).toLongLong(&number);
    if (!number)
        return usage(QStringLiteral("'%1' is not a post ID").arg(positional(0)));
    return finish(wait(m_client.post(QStringLiteral("/v1/vote"),
        {{QStringLiteral("post_id"), id},
            {QStringLiteral("dir"), isSet(QStringLiteral("undo")) ? 0 : 1}})));
}

int Ctl::search()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("search needs a query"));
    QUrlQuery query = pageQuery();
    query.addQueryItem(QStringLiteral("q"), m_parser.positionalArguments().join(QLatin1Char(' ')));
    return finish(wait(m_client.get(QStringLiteral("/v1/search"), query)),
        {{QStringLiteral("kind"), QStringLiteral("id"), QStringLiteral("title"),
            QStringLiteral("score")}});
}

int Ctl::phrases()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("phrases needs a post's ID"));
    const Client::ApiResponse response =
        wait(m_client.get(QStringLiteral("/v1/posts/%1/phrases").arg(encoded(positional(0)))));
    if (!response.ok() || m_format == Format::Json || m_format == Format::Yaml)
        return finish(response, {{QStringLiteral("phrases")}});
    // One phrase a line, for people and scripts alike.
    for (const QJsonValue &phrase : response.object().value(QStringLiteral("phrases")).toArray())
        out(phrase.toString().toUtf8() + '\n');
    return Ok;
}

int Ctl::usersList()
{
    QUrlQuery query = pageQuery();
    if (isSet(QStringLiteral("search")))
        query.addQueryItem(QStringLiteral("search"), value(QStringLiteral("search")));
    return finish(wait(m_client.get(QStringLiteral("/v1/users"), query)),
        {{QStringLiteral("id"), QStringLiteral("username"), QStringLiteral("email"),
            QStringLiteral("role"), QStringLiteral("disabled"), QStringLiteral("created_at")}});
}

int Ctl::usersGet()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("users get needs a user's ID or 'me'"));
    return finish(wait(m_client.get(QStringLiteral("/v1/users/") + encoded(positional(0)))));
}

int Ctl::apiKeysList()
{
    return finish(wait(m_client.get(QStringLiteral("/v1/api-keys"), pageQuery())),
        {{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("scopes"),
            QStringLiteral("created_at"), QStringLiteral("last_used_at")}});
}

int Ctl::apiKeysCreate()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("api-keys create needs a name"));
    QStringList scopes = m_parser.values(QStringLiteral("scope"));
    if (scopes.isEmpty())
        scopes.append(QStringLiteral("read"));
    return finish(wait(m_client.post(QStringLiteral("/v1/api-keys"),
        {{QStringLiteral("name"), positional(0)},
            {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)}})));
}

int Ctl::apiKeysRevoke()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("api-keys revoke needs a key's ID"));
    return finish(wait(m_client.del(QStringLiteral("/v1/api-keys/") + encoded(positional(0)))));
}

int Ctl::pipelinesList()
{
    return finish(wait(m_client.get(QStringLiteral("/v1/pipelines"), pageQuery())),
        {{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("source"),
            QStringLiteral("repository"), QStringLiteral("last_run.status"),
            QStringLiteral("last_run.conclusion")}});
}

int Ctl::pipelinesRuns()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("pipelines runs needs a pipeline's ID"));
    return finish(
        wait(m_client.get(
            QStringLiteral("/v1/pipelines/%1/runs").arg(encoded(positional(0))), pageQuery())),
        {{QStringLiteral("id"), QStringLiteral("run_number"), QStringLiteral("status"),
            QStringLiteral("conclusion"), QStringLiteral("started_at"),
            QStringLiteral("finished_at")}});
}

int Ctl::pipelinesTrigger()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("pipelines trigger needs a pipeline's ID"));
    return finish(wait(
        m_client.post(QStringLiteral("/v1/pipelines/%1/trigger").arg(encoded(positional(0))), {})));
}

int Ctl::pipelinesCancel()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("pipelines cancel needs a run's ID"));
    return finish(
        wait(m_client.post(QStringLiteral("/v1/runs/%1/cancel").arg(encoded(positional(0))), {})));
}

int Ctl::pipelinesLogs()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("pipelines logs needs a run's ID"));
    const QString run = QStringLiteral("/v1/runs/") + encoded(positional(0));
    qsizetype printed = 0;
    for (;;) {
        // The run's state before its log: a log read after the run completed is complete.
        bool completed = true;
        if (isSet(QStringLiteral("follow"))) {
            const Client::ApiResponse state = wait(m_client.get(run));
            if (!state.ok())
                return fail(state);
            completed = state.object().value(QStringLiteral("status")).toString()
                == QLatin1String("completed");
        }
        const Client::ApiResponse log = wait(m_client.get(run + QStringLiteral("/log")));
        if (log.status == 404 && !completed) {
            // No log yet.
        } else if (!log.ok()) {
            return fail(log);
        } else if (log.body.size() > printed) {
            out(log.body.mid(printed));
            printed = log.body.size();
        }
        if (completed)
            return Ok;
        QEventLoop pause;
        QTimer::singleShot(1'000, &pause, &QEventLoop::quit);
        pause.exec();
    }
}

int Ctl::eventsTail()
{
    const QStringList types = m_parser.values(QStringLiteral("type"));
    bool counted = false;
    const int count = value(QStringLiteral("count")).toInt(&counted);
    if (isSet(QStringLiteral("count")) && (!counted || count < 1))
        return usage(QStringLiteral("--count takes a number of 1 or more"));
    QUrl url = m_client.url(QStringLiteral("/v1/events"));
    url.setScheme(
        url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    QWebSocket socket;
    QEventLoop loop;
    int seen = 0;
    int code = Ok;
    connect(&socket, &QWebSocket::connected, &loop,
        [&] { socket.sendTextMessage(m_client.accessToken()); });
    connect(&socket, &QWebSocket::textMessageReceived, &loop, [&](const QString &message) {
        const QJsonObject event = QJsonDocument::fromJson(message.toUtf8()).object();
        const QString type = event.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("subscribed")) {
            err(QStringLiteral("Watching events on %1.").arg(m_client.baseUrl().toString()));
            return;
        }
        if (!types.isEmpty() && !types.contains(type))
            return;
        if (m_format == Format::Json) {
            out(message.toUtf8() + '\n');
        } else if (m_format == Format::Yaml) {
            out("---\n" + Output::toYaml(event));
        } else {
            out(QStringLiteral("%1  %2  %3\n")
                    .arg(event.value(QStringLiteral("at")).toString(), type,
                        QString::number(event.value(QStringLiteral("id")).toInteger()))
                    .toUtf8());
        }
        if (counted && ++seen >= count)
            loop.quit();
    });
    connect(&socket, &QWebSocket::disconnected, &loop, [&] {
        err(QStringLiteral("outpostctl: the event stream ended: %1")
                .arg(socket.closeReason().isEmpty() ? socket.errorString() : socket.closeReason()));
        code = socket.closeCode() == QWebSocketProtocol::CloseCodePolicyViolated ? Auth : Failure;
        loop.quit();
    });
    socket.open(url);
    loop.exec();
    return code;
}

int Ctl::adminInfo()
{
    return finish(wait(m_client.get(QStringLiteral("/v1/admin/info"))));
}

int Ctl::adminAudit()
{
    return finish(wait(m_client.get(QStringLiteral("/v1/admin/audit"), pageQuery())),
        {{QStringLiteral("id"), QStringLiteral("at"), QStringLiteral("actor"),
            QStringLiteral("action"), QStringLiteral("target_type"), QStringLiteral("target_id")}});
}

int Ctl::wiki()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("wiki needs a page title"));
    return finish(wait(m_client.get(QStringLiteral("/v1/wiki/")
        + encoded(m_parser.positionalArguments().join(QLatin1Char(' '))))));
}

} // namespace Outpost::Ctl
