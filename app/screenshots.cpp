// outpost-screenshots DIR: starts the app on a fresh embedded server, fills it with sample
// data through the API (as a user would), and saves a PNG of every view into DIR. Run by
// docs/screenshots/take.sh under xvfb-run (once more with --language de); not installed.
#include "client/apiclient.h"
#include "connection/connectdialog.h"
#include "connection/session.h"
#include "core/timeformat.h"
#include "mainwindow.h"
#include "models/deliveriesmodel.h"
#include "models/pipelinesmodel.h"
#include "models/postsmodel.h"
#include "models/runsmodel.h"
#include "models/subscriptionsmodel.h"
#include "models/transferqueue.h"
#include "models/usersmodel.h"
#include "servers/serverstore.h"
#include "settings/appearance.h"
#include "settings/settingsdialog.h"
#include "views/backupsdialog.h"
#include "views/dashboardview.h"
#include "views/filesview.h"
#include "views/pipelinesview.h"
#include "views/posteditor.h"
#include "views/postreader.h"
#include "views/postsview.h"
#include "views/subscriptiondialog.h"
#include "views/subscriptionsview.h"
#include "views/usersview.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDialogButtonBox>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>

#include <array>
#include <cstdio>
#include <optional>

using namespace Outpost;

namespace {

void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Waits for a typed call's answer (this is a script, not the app).
template<typename T> Client::ApiResult<T> call(const Client::Reply<T> &reply)
{
    std::optional<Client::ApiResult<T>> result;
    QEventLoop loop;
    reply.then(&loop, [&](const Client::ApiResult<T> &answer) {
        result = answer;
        loop.quit();
    });
    loop.exec();
    return std::move(*result);
}

StageUpdate stage(const QString &name, const QString &status, const QString &conclusion,
    const QString &from, const QString &to)
{
    StageUpdate update;
    update.name = name;
    update.status = status;
    update.startedAt = fromRfc3339(from);
    if (!conclusion.isEmpty())
        update.conclusion = conclusion;
    if (!to.isEmpty())
        update.finishedAt = fromRfc3339(to);
    return update;
}

// A webhook receiver for the Subscriptions view: /hooks/chat answers 200, anything else 500
// with a short JSON body, as a receiver that is down would.
class SampleReceiver final : public QTcpServer
{
public:
    SampleReceiver()
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, socket, [socket] { answer(socket); });
            }
        });
    }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://localhost:%1%2").arg(serverPort()).arg(path);
    }

private:
    // Answers once the whole request (headers and Content-Length bytes) is in.
    static void answer(QTcpSocket *socket)
    {
        QByteArray request = socket->property("request").toByteArray() + socket->readAll();
        socket->setProperty("request", request);
        const qsizetype end = request.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        qsizetype length = 0;
        for (const QByteArray &line : request.left(end).split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (request.size() < end + 4 + length)
            return;
        const bool ok = request.startsWith("POST /hooks/chat ");
        const QByteArray body = ok ? QByteArray("ok")
                                   : QByteArray("{\"error\": \"deploy bot is down for "
                                                "maintenance\"}");
        socket->write((ok ? QByteArray("HTTP/1.1 200 OK\r\n")
                          : QByteArray("HTTP/1.1 500 Internal Server Error\r\n"))
            + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost();
    }
};

struct SampleSubscriptions
{
    qint64 chat = 0;
    qint64 deploy = 0;
    QString chatSecret;
};

// Subscriptions made before the rest of the data, so its events are delivered to them.
SampleSubscriptions subscribe(Client::ApiClient *client, const SampleReceiver &receiver)
{
    SampleSubscriptions made;
    SubscriptionCreate chat;
    chat.kind = SubscriptionKinds::webhook;
    chat.target = receiver.url(QStringLiteral("/hooks/chat"));
    chat.events = {QStringLiteral("post.created"), QStringLiteral("file.*")};
    chat.description = QStringLiteral("Team chat");
    if (const auto created = call(client->subscriptions().create(chat))) {
        made.chat = created->id;
        made.chatSecret = created->secret;
    }
    SubscriptionCreate deploy;
    deploy.kind = SubscriptionKinds::webhook;
    deploy.target = receiver.url(QStringLiteral("/hooks/deploy"));
    deploy.events = {QStringLiteral("run.*"), QStringLiteral("pipeline.created")};
    deploy.description = QStringLiteral("Deploy bot");
    if (const auto created = call(client->subscriptions().create(deploy)))
        made.deploy = created->id;
    SubscriptionCreate mail;
    mail.kind = SubscriptionKinds::email;
    mail.target = QStringLiteral("ops@example.org");
    mail.events = {QStringLiteral("user.*")};
    mail.description = QStringLiteral("On-call inbox");
    call(client->subscriptions().create(mail));
    return made;
}

// Waits until none of this subscription's deliveries is pending (a script, not the app).
void settle(Client::ApiClient *client, qint64 id)
{
    QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired()) {
        const auto page = call(client->subscriptions().deliveries(id, {}));
        if (!page)
            return;
        bool pending = false;
        for (const SubscriptionDelivery &delivery : page->items)
            pending = pending || delivery.status == QLatin1String("pending");
        if (!pending)
            return;
        pause(300);
    }
}

// The Files view's transfers panel with something in it: a folder uploaded, a file downloaded
// and a download cancelled (which offers a retry).
void showTransfers(App::FilesView *files, const QString &local)
{
    const QString folder = QDir(local).filePath(QStringLiteral("photos"));
    QDir().mkpath(folder);
    for (const char *name : {"harbour.txt", "lighthouse.txt", "dunes.txt"}) {
        QFile file(QDir(folder).filePath(QString::fromLatin1(name)));
        if (file.open(QIODevice::WriteOnly))
            file.write(QByteArray(qsizetype(64) * 1024, 'x'));
    }
    files->upload({folder}, QStringLiteral("docs/"));
    files->download(
        QStringLiteral("docs/notes/todo.md"), QDir(local).filePath(QStringLiteral("todo.md")));
    pause(1'500);
    files->download(
        QStringLiteral("reports/2026-11.csv"), QDir(local).filePath(QStringLiteral("2026-11.csv")));
    files->transferQueue()->cancel(int(files->transferQueue()->transfers().size() - 1));
    files->selectTransfer(int(files->transferQueue()->transfers().size() - 1));
    pause(500);
}

bool save(QWidget *widget, const QString &out, const char *name)
{
    const QString file = QDir(out).filePath(QString::fromLatin1(name) + QStringLiteral(".png"));
    if (!widget->grab().save(file)) {
        (void)std::fprintf(stderr, "outpost-screenshots: cannot write %s\n", qPrintable(file));
        return false;
    }
    std::printf("%s\n", qPrintable(file));
    return true;
}

void seed(Client::ApiClient *client)
{
    const QStringList people {QStringLiteral("ada@example.org"),
        QStringLiteral("grace@example.org"), QStringLiteral("linus@example.org"),
        QStringLiteral("margaret@example.org")};
    for (const QString &email : people) {
        UserCreate user;
        user.email = email;
        user.username = email.section(QLatin1Char('@'), 0, 0);
        user.password = QStringLiteral("Sample-Passw0rd");
        call(client->users().create(user));
    }
    const QStringList titles {QStringLiteral("Release 0.1 is out"),
        QStringLiteral("Moving the build farm to ARM"),
        QStringLiteral("Incident report: disk full"), QStringLiteral("How we test the desktop app"),
        QStringLiteral("Draft: roadmap for Q1"), QStringLiteral("PostgreSQL support lands"),
        QStringLiteral("Why SQLite is the default"), QStringLiteral("Notes from the on-call week")};
    qint64 first = 0;
    for (int i = 0; i < titles.size(); ++i) {
        PostWrite post;
        post.title = titles.at(i);
        post.content = i == 0
            ? QStringLiteral("## What is new\n\nOutpost **0.1** runs as a *server* or inside the "
                             "desktop app.\n\n- Posts with key phrases and votes\n- Files with "
                             "previews\n- Pipelines with a stage timeline\n\nSee the "
                             "[release notes](https://example.org/outpost/0.1) for details.")
            : QStringLiteral("Sample content for the screenshots.");
        post.published = !titles.at(i).startsWith(QLatin1String("Draft"));
        const auto created = call(client->posts().create(post));
        if (i == 0 && created)
            first = created->value.id;
    }
    call(client->posts().vote({first, 1}));
    call(client->apiKeys().create({QStringLiteral("ci-reporter"), {Scopes::pipelinesWrite}}));
    // Files and pipelines, where the server has them (a 404 leaves those views empty).
    const std::array<std::pair<QString, QByteArray>, 3> files {
        {{QStringLiteral("docs/readme.txt"), "Outpost sample file.\n"},
            {QStringLiteral("docs/notes/todo.md"),
                "# To do\n\n- **screenshots** of every view\n- a *dark* theme\n\n> Ship "
                "small, ship often.\n"},
            {QStringLiteral("reports/2026-11.csv"), "day,requests\n1,1200\n2,1350\n"}}};
    for (const auto &[path, body] : files)
        call(client->files().put(path, body, QStringLiteral("text/plain")));
    // Pipelines reported through the API, as a CI job's last step would: one green, one red,
    // one still running, each with its stages.
    const QString done = QStringLiteral("completed");
    const QString running = QStringLiteral("in_progress");
    struct SampleRun
    {
        QString pipeline;
        QString repository;
        QString status;
        QString conclusion;
        QList<StageUpdate> stages;
    };
    const std::array<SampleRun, 3> runs {{
        {QStringLiteral("shop deploy"), QStringLiteral("acme/shop"), done,
            QStringLiteral("success"),
            {stage(QStringLiteral("install"), done, QStringLiteral("success"),
                 QStringLiteral("2026-11-23T09:00:00Z"), QStringLiteral("2026-11-23T09:00:40Z")),
                stage(QStringLiteral("test"), done, QStringLiteral("success"),
                    QStringLiteral("2026-11-23T09:00:40Z"), QStringLiteral("2026-11-23T09:03:10Z")),
                stage(QStringLiteral("deploy"), done, QStringLiteral("success"),
                    QStringLiteral("2026-11-23T09:03:10Z"),
                    QStringLiteral("2026-11-23T09:04:00Z"))}},
        {QStringLiteral("api nightly"), QStringLiteral("acme/api"), done, QStringLiteral("failure"),
            {stage(QStringLiteral("build"), done, QStringLiteral("success"),
                 QStringLiteral("2026-11-23T02:00:00Z"), QStringLiteral("2026-11-23T02:02:00Z")),
                stage(QStringLiteral("integration"), done, QStringLiteral("failure"),
                    QStringLiteral("2026-11-23T02:02:00Z"),
                    QStringLiteral("2026-11-23T02:07:30Z"))}},
        {QStringLiteral("docs site"), QStringLiteral("acme/docs"), running, QString(),
            {stage(QStringLiteral("build"), done, QStringLiteral("success"),
                 QStringLiteral("2026-11-23T10:00:00Z"), QStringLiteral("2026-11-23T10:01:00Z")),
                stage(QStringLiteral("publish"), running, QString(),
                    QStringLiteral("2026-11-23T10:01:00Z"), QString())}},
    }};
    for (const SampleRun &run : runs) {
        PipelineCreate create;
        create.name = run.pipeline;
        create.repository = run.repository;
        const auto pipeline = call(client->pipelines().create(create));
        if (!pipeline)
            continue;
        RunUpdate report;
        report.status = run.status;
        report.headBranch = QStringLiteral("main");
        report.headSha = QStringLiteral("9f3c2e1d4b5a69788766554433221100aabbccdd");
        report.startedAt = run.stages.first().startedAt;
        report.stages = run.stages;
        if (!run.conclusion.isEmpty()) {
            report.conclusion = run.conclusion;
            report.finishedAt = run.stages.last().finishedAt;
        }
        call(client->pipelines().report(pipeline->id, report));
    }
    // Dashboard charts need some traffic.
    for (int i = 0; i < 40; ++i)
        call(client->posts().list({}));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("outpost-screenshots"));
    QApplication::setOrganizationName(QStringLiteral("Outpost"));
    QStandardPaths::setTestModeEnabled(true); // no settings of the real app touched
    QSettings().clear();                      // nor of an earlier run (column widths)
    // outpost-screenshots DIR [--language de]: in another language, the main views only, as
    // <view>-<language>.png (the catalogues loaded the way the app loads them).
    QStringList arguments = QApplication::arguments().mid(1);
    QString language;
    if (const qsizetype at = arguments.indexOf(QStringLiteral("--language")); at >= 0) {
        language = arguments.value(at + 1);
        arguments.remove(at, 2);
    }
    QTranslator qtTranslator;
    QTranslator translator;
    if (!language.isEmpty()) {
        const QLocale locale(language);
        QLocale::setDefault(locale);
        if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QApplication::installTranslator(&qtTranslator);
        const QString dir =
            QDir(QApplication::applicationDirPath()).filePath(QStringLiteral(OUTPOST_QM_RELDIR));
        if (!translator.load(locale, QStringLiteral("outpost"), QStringLiteral("_"), dir)) {
            (void)std::fprintf(stderr, "outpost-screenshots: no catalogue for %s in %s\n",
                qPrintable(language), qPrintable(dir));
            return 1;
        }
        QApplication::installTranslator(&translator);
    }
    const QString suffix = language.isEmpty() ? QString() : QLatin1Char('-') + language;
    const QString out = arguments.value(0, QStringLiteral("."));
    QDir().mkpath(out);
    QTemporaryDir data;

    App::MainWindow window;
    window.setEmbeddedDataDir(data.path());
    window.setEmbeddedBcryptCost(4);
    // Webhooks to the sample receiver on this computer; a failing one gives up quickly.
    window.setEmbeddedSetting(QStringLiteral("WEBHOOK_ALLOW_PRIVATE"), QStringLiteral("true"));
    window.setEmbeddedSetting(QStringLiteral("WEBHOOK_RETRY_SCHEDULE"), QStringLiteral("1s"));
    SampleReceiver receiver;
    // A second server in the servers list, which nobody answers for: it shows as down.
    App::ServerStore *servers = window.servers();
    servers->rename(servers->ensureRemote(QUrl(QStringLiteral("http://127.0.0.1:1")),
                        QStringLiteral("admin@example.org")),
        QStringLiteral("staging"));
    window.resize(1280, 800);
    window.show();
    window.startEmbedded();
    QDeadlineTimer deadline(60'000);
    while (!window.session() && !deadline.hasExpired())
        pause(100);
    if (!window.session()) {
        (void)std::fprintf(stderr, "outpost-screenshots: the embedded server did not start\n");
        return 1;
    }
    Client::ApiClient *client = window.session()->client();
    const SampleSubscriptions subscriptions = subscribe(client, receiver);
    seed(client);
    call(client->subscriptions().test(subscriptions.chat));
    call(client->subscriptions().test(subscriptions.deploy));
    settle(client, subscriptions.chat);
    settle(client, subscriptions.deploy);
    window.postsView()->refresh();

    const std::array<std::pair<App::View *, const char *>, 5> views {
        {{window.dashboardView(), "dashboard"}, {window.postsView(), "posts"},
            {window.usersView(), "users"}, {window.filesView(), "files"},
            {window.pipelinesView(), "pipelines"}}};
    QTemporaryDir transfersDir; // the local side of the Files view's transfers
    // Some steady traffic for the dashboard's charts.
    QTimer traffic;
    QObject::connect(&traffic, &QTimer::timeout, &window,
        [&window] { window.session()->client()->posts().list({}); });
    traffic.start(40);
    // Now and then a request the server cannot answer (503: no generation service is set up),
    // for the error-rate chart.
    QTimer failing;
    QObject::connect(&failing, &QTimer::timeout, &window, [&window] {
        window.session()->client()->post(QStringLiteral("/v1/files/generated"),
            {{QStringLiteral("file_path"), QStringLiteral("notes/summary.txt")},
                {QStringLiteral("prompt"), QStringLiteral("Summarise the week")},
                {QStringLiteral("generation_type"), QStringLiteral("text")}});
    });
    failing.start(900);
    for (const auto &[view, name] : views) {
        window.showView(view);
        view->refresh();
        pause(view == window.dashboardView() ? 16'000 : 1'500);
        // Something selected, so that the reading pane, the preview and the run show.
        if (view == window.postsView()) {
            App::PostsModel *posts = window.postsView()->model();
            for (int row = 0; row < posts->rowCount(); ++row) {
                if (posts->itemAt(row)->title == u"Release 0.1 is out")
                    window.postsView()->table()->setCurrentIndex(posts->index(row, 0));
            }
            pause(1'000);
        } else if (view == window.usersView()) {
            // A user selected: their audit trail below the list.
            App::UsersModel *users = window.usersView()->usersModel();
            for (int row = 0; row < users->rowCount(); ++row) {
                if (users->itemAt(row)->email == u"grace@example.org")
                    window.usersView()->usersTable()->setCurrentIndex(users->index(row, 0));
            }
            pause(1'000);
        } else if (view == window.filesView()) {
            showTransfers(window.filesView(), transfersDir.path());
            window.filesView()->selectPath(QStringLiteral("docs/notes/todo.md"));
            pause(1'000);
        } else if (view == window.pipelinesView()) {
            App::PipelinesView *pipelines = window.pipelinesView();
            App::PipelinesModel *list = pipelines->pipelinesModel();
            for (int row = 0; row < list->rowCount(); ++row) {
                if (list->itemAt(row)->name == u"api nightly") {
                    pipelines->findChild<QTableView *>(QStringLiteral("pipelinesTable"))
                        ->setCurrentIndex(list->index(row, 0));
                }
            }
            pause(1'000);
            pipelines->findChild<QTableView *>(QStringLiteral("runsTable"))
                ->setCurrentIndex(pipelines->runsModel()->index(0, 0));
            pause(1'000);
        }
        if (!save(&window, out, qPrintable(QString::fromLatin1(name) + suffix)))
            return 1;
        traffic.stop();
        failing.stop();
    }

    if (!language.isEmpty()) {
        // The dialogs with the most words in them, too.
        QDialog *welcome = window.showConnectDialog();
        pause(500);
        if (!save(welcome, out, qPrintable(QStringLiteral("welcome") + suffix)))
            return 1;
        welcome->reject();
        QDialog *preferences = window.showSettings();
        pause(500);
        if (!save(preferences, out, qPrintable(QStringLiteral("preferences") + suffix)))
            return 1;
        preferences->close();
        return 0;
    }

    // Posts: a search with its highlighted hits, then a post edited in place while someone
    // else saved it (the conflict panel with their changes).
    {
        App::PostsView *posts = window.postsView();
        window.showView(posts);
        auto *search = posts->findChild<QLineEdit *>(QStringLiteral("search"));
        search->setText(QStringLiteral("desktop"));
        Q_EMIT search->textEdited(search->text());
        pause(1'500);
        if (!save(&window, out, "posts-search"))
            return 1;
        search->clear();
        pause(1'000);
        App::PostsModel *list = posts->model();
        qint64 id = 0;
        for (int row = 0; row < list->rowCount(); ++row) {
            if (list->itemAt(row)->title == u"How we test the desktop app") {
                id = list->idAt(row);
                posts->table()->setCurrentIndex(list->index(row, 0));
            }
        }
        posts->reader()->startEditing();
        pause(1'000);
        App::PostEditor *editor = posts->reader()->editor();
        PostWrite theirs;
        theirs.title = QStringLiteral("How we test the desktop app");
        theirs.content = QStringLiteral("Sample content for the screenshots.\n\nOffscreen Qt Test "
                                        "suites against a real server.");
        call(client->posts().replace(id, theirs));
        editor->contentEdit()->setPlainText(
            QStringLiteral("Sample content for the screenshots.\n\nEvery view has a test."));
        editor->save();
        pause(1'500);
        if (!save(&window, out, "post-conflict"))
            return 1;
        editor->reloadButton()->click();
        editor->cancel();
        pause(300);
    }

    // Admin ▸ Back up now, then the Backups dialog with the backup made (and a second one).
    for (int i = 0; i < 2; ++i) {
        App::BackupsDialog *dialog = window.backUpNow();
        QEventLoop loop;
        QObject::connect(dialog, &App::BackupsDialog::listLoaded, &loop, [&loop, dialog] {
            if (!dialog->isBackingUp())
                loop.quit();
        });
        QObject::connect(dialog, &App::BackupsDialog::backupFinished, &loop,
            [&loop](bool ok, const QString &message) {
                if (!ok) {
                    (void)std::fprintf(stderr, "outpost-screenshots: %s\n", qPrintable(message));
                    loop.exit(1);
                }
            });
        if (loop.exec() != 0)
            return 1;
    }
    pause(500);
    auto *backups = window.findChild<App::BackupsDialog *>();
    const QString file = QDir(out).filePath(QStringLiteral("backups.png"));
    if (!backups || !backups->grab().save(file)) {
        (void)std::fprintf(stderr, "outpost-screenshots: cannot write %s\n", qPrintable(file));
        return 1;
    }
    std::printf("%s\n", qPrintable(file));
    backups->close();

    // A new API key, shown once with its Copy button.
    window.showView(window.usersView());
    window.usersView()->createKey();
    pause(300);
    if (auto *ask = window.findChild<QDialog *>(QStringLiteral("keyDialog"))) {
        ask->findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("deploy bot"));
        ask->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QDeadlineTimer keyShown(10'000);
        QDialog *shown = nullptr;
        while (!(shown = window.findChild<QDialog *>(QStringLiteral("keyShownDialog")))
            && !keyShown.hasExpired())
            pause(100);
        pause(300);
        if (!shown || !save(shown, out, "api-key"))
            return 1;
        shown->reject();
    }
    // The welcome dialog: Enter works offline (the last connection was the offline one).
    if (QDialog *welcome = window.showConnectDialog()) {
        pause(500);
        if (!save(welcome, out, "welcome"))
            return 1;
        welcome->reject();
    }

    // Subscriptions: the failing deploy bot selected, its newest failed delivery open.
    App::SubscriptionsView *view = window.subscriptionsView();
    window.showView(view);
    view->refresh();
    pause(1'000);
    view->selectSubscription(subscriptions.deploy);
    pause(1'000);
    App::DeliveriesModel *deliveries = view->deliveriesModel();
    for (int row = 0; row < deliveries->rowCount(); ++row) {
        if (deliveries->itemAt(row)->status == QLatin1String("failed")) {
            view->selectDelivery(deliveries->idAt(row));
            break;
        }
    }
    pause(500);
    if (!save(&window, out, "subscriptions"))
        return 1;
    view->createNew();
    pause(500);
    if (auto *dialog = window.findChild<App::SubscriptionDialog *>()) {
        if (!save(dialog, out, "subscription-new"))
            return 1;
        dialog->reject();
    }
    QDialog *secret = App::showSecretDialog(&window, subscriptions.chatSecret,
        App::SubscriptionsView::tr("Webhook subscription created"));
    pause(500);
    if (!save(secret, out, "subscription-secret"))
        return 1;
    secret->close();

    // The dark theme (Settings ▸ Preferences…) at 1280×800.
    App::Appearance::apply(App::Appearance::Theme::Dark);
    window.resize(1280, 800);
    const std::array<std::pair<App::View *, const char *>, 4> dark {
        {{window.dashboardView(), "dashboard-dark"}, {window.postsView(), "posts-dark"},
            {window.pipelinesView(), "pipelines-dark"}, {window.usersView(), "users-dark"}}};
    for (const auto &[darkView, name] : dark) {
        window.showView(darkView);
        darkView->refresh();
        pause(1'500);
        if (!save(&window, out, name))
            return 1;
    }
    return 0;
}
