#pragma once

#include "client/apiclient.h"
#include "contextstore.h"
#include "output.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QObject>

#include <functional>

namespace Outpost::Ctl {

// Exit codes (README, man page).
enum Exit : int {
    Ok = 0,
    Failure = 1,  // anything else: the server failed, no connection, a bad answer
    Usage = 2,    // a wrong command line
    NotFound = 3, // 404
    Conflict = 4, // 409, 412
    Auth = 5,     // 401, 403, no stored session
};

// outpostctl: one command per run. Parses the command line (one QCommandLineParser per
// command, with the global options in each), connects to the server of the current context
// (or --server/--token, OUTPOST_URL/OUTPOST_TOKEN), makes its calls synchronously and prints
// the answer in the chosen format. Returns the process's exit code.
class Ctl final : public QObject
{
    Q_OBJECT

public:
    Ctl();
    int run(const QStringList &arguments);

    struct Command
    {
        QString name; // "posts list"
        QString summary;
        QString arguments; // for the synopsis: "ID"
        QList<QCommandLineOption> options;
        std::function<int(Ctl &)> handler;
        bool needsServer = true;
    };
    QList<Command> commands() const;
    // --server, --token, --context, --output.
    static QList<QCommandLineOption> globalOptions();
    // `completion zsh`: a #compdef script using _arguments and _describe.
    QString zshCompletion() const;

private:
    // For the commands (commands.cpp lists them; *commands.cpp implement them).
    int connectToServer();
    Client::ApiResponse wait(Client::ApiCall *call);
    // Prints a successful answer in the chosen format, or the error. In a table, one resource
    // shows as key: value lines: any object without columns, or with them when `oneResource`
    // (the view's columns are for lists; its name field still names the resource).
    int finish(
        const Client::ApiResponse &response, const View &view = {}, bool oneResource = false);
    int fail(const Client::ApiResponse &response);
    int usage(const QString &message);
    static int exitCodeFor(int status);
    QString positional(int index) const;
    QString value(const QString &option) const { return m_parser.value(option); }
    bool isSet(const QString &option) const { return m_parser.isSet(option); }
    bool needPositionals(int count);
    bool stdoutIsTerminal() const;
    bool stderrIsTerminal() const;
    bool stdinIsTerminal() const;
    // One path segment, percent-encoded.
    static QString encoded(const QString &segment);
    static void out(const QByteArray &bytes);
    static void err(const QString &text);
    // Bytes to standard error as they are (prompts, the progress line), flushed.
    static void errRaw(const QByteArray &bytes);

    int login();
    int logout();
    int contextList();
    int contextUse();
    int postsList();
    int postsGet();
    int postsCreate();
    int postsEdit();
    int postsDelete();
    int postsVote();
    int search();
    int phrases();
    int usersList();
    int usersGet();
    int apiKeysList();
    int apiKeysCreate();
    int apiKeysRevoke();
    int filesList();
    int filesGet();
    int filesPut();
    int filesRemove();
    int pipelinesList();
    int pipelinesRuns();
    int pipelinesTrigger();
    int pipelinesCancel();
    int pipelinesLogs();
    int eventsTail();
    int adminInfo();
    int adminAudit();
    int wiki();
    int completion();

    Client::ApiClient m_client;
    ContextStore m_store;
    Context m_context; // of this run, when one is used
    QCommandLineParser m_parser;
    Format m_format = Format::Table;

    QString readPassword(QString *error);
    QUrlQuery pageQuery() const;
};

} // namespace Outpost::Ctl
