// outpost-screenshots DIR: starts the app on a fresh embedded server, fills it with sample
// data through the API (as a user would), and saves a PNG of every view into DIR. Run by
// docs/screenshots/take.sh under xvfb-run; not installed.
#include "client/apiclient.h"
#include "connection/session.h"
#include "mainwindow.h"
#include "views/dashboardview.h"
#include "views/filesview.h"
#include "views/pipelinesview.h"
#include "views/postsview.h"
#include "views/usersview.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QJsonArray>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace Outpost;

namespace {

void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Sends a request and waits for its answer (this is a script, not the app).
Client::ApiResponse call(Client::ApiCall *request)
{
    Client::ApiResponse result;
    QEventLoop loop;
    QObject::connect(
        request, &Client::ApiCall::finished, &loop, [&](const Client::ApiResponse &response) {
            result = response;
            loop.quit();
        });
    loop.exec();
    return result;
}

void seed(Client::ApiClient *client)
{
    const QStringList people {QStringLiteral("ada@example.org"),
        QStringLiteral("grace@example.org"), QStringLiteral("linus@example.org"),
        QStringLiteral("margaret@example.org")};
    for (const QString &email : people) {
        call(client->post(QStringLiteral("/v1/users"),
            {{QStringLiteral("email"), email},
                {QStringLiteral("username"), email.section(QLatin1Char('@'), 0, 0)},
                {QStringLiteral("password"), QStringLiteral("Sample-Passw0rd")}}));
    }
    const QStringList titles {QStringLiteral("Release 0.1 is out"),
        QStringLiteral("Moving the build farm to ARM"),
        QStringLiteral("Incident report: disk full"), QStringLiteral("How we test the desktop app"),
        QStringLiteral("Draft: roadmap for Q1"), QStringLiteral("PostgreSQL support lands"),
        QStringLiteral("Why SQLite is the default"), QStringLiteral("Notes from the on-call week")};
    qint64 first = 0;
    for (int i = 0; i < titles.size(); ++i) {
        const auto created = call(client->post(QStringLiteral("/v1/posts"),
            {{QStringLiteral("title"), titles.at(i)},
                {QStringLiteral("content"), QStringLiteral("Sample content for the screenshots.")},
                {QStringLiteral("published"), !titles.at(i).startsWith(QLatin1String("Draft"))}}));
        if (i == 0)
            first = created.object().value(QStringLiteral("id")).toInteger();
    }
    call(client->post(QStringLiteral("/v1/vote"),
        {{QStringLiteral("post_id"), first}, {QStringLiteral("dir"), 1}}));
    call(client->post(QStringLiteral("/v1/api-keys"),
        {{QStringLiteral("name"), QStringLiteral("ci-reporter")},
            {QStringLiteral("scopes"), QJsonArray {QStringLiteral("pipelines:write")}}}));
    // Files and pipelines, where the server has them (a 404 leaves those views empty).
    const std::pair<QString, QByteArray> files[] = {
        {QStringLiteral("docs/readme.txt"), "Outpost sample file.\n"},
        {QStringLiteral("docs/notes/todo.md"), "# To do\n- screenshots\n"},
        {QStringLiteral("reports/2026-11.csv"), "day,requests\n1,1200\n2,1350\n"}};
    for (const auto &[path, body] : files) {
        call(client->send("PUT", QStringLiteral("/v1/files/") + path, {}, body,
            {{"Content-Type", "text/plain"}}));
    }
    // Pipelines reported through the API, as a CI job's last step would: one green, one red,
    // one still running, each with its stages.
    const auto stage = [](const QString &name, const QString &status, const QString &conclusion,
                           const QString &from, const QString &to) {
        QJsonObject object {{QStringLiteral("name"), name}, {QStringLiteral("status"), status},
            {QStringLiteral("started_at"), from}};
        if (!conclusion.isEmpty())
            object.insert(QStringLiteral("conclusion"), conclusion);
        if (!to.isEmpty())
            object.insert(QStringLiteral("finished_at"), to);
        return object;
    };
    const QString done = QStringLiteral("completed");
    const QString running = QStringLiteral("in_progress");
    struct SampleRun
    {
        QString pipeline;
        QString repository;
        QString status;
        QString conclusion;
        QJsonArray stages;
    };
    const SampleRun runs[] = {
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
    };
    for (const SampleRun &run : runs) {
        const auto pipeline = call(client->post(QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), run.pipeline},
                {QStringLiteral("repository"), run.repository}}));
        const qint64 id = pipeline.object().value(QStringLiteral("id")).toInteger();
        if (id == 0)
            continue;
        QJsonObject report {{QStringLiteral("status"), run.status},
            {QStringLiteral("head_branch"), QStringLiteral("main")},
            {QStringLiteral("head_sha"),
                QStringLiteral("9f3c2e1d4b5a69788766554433221100aabbccdd")},
            {QStringLiteral("started_at"),
                run.stages.first().toObject().value(QStringLiteral("started_at"))},
            {QStringLiteral("stages"), run.stages}};
        if (!run.conclusion.isEmpty()) {
            report.insert(QStringLiteral("conclusion"), run.conclusion);
            report.insert(QStringLiteral("finished_at"),
                run.stages.last().toObject().value(QStringLiteral("finished_at")));
        }
        call(client->post(QStringLiteral("/v1/pipelines/%1/runs").arg(id), report));
    }
    // Dashboard charts need some traffic.
    for (int i = 0; i < 40; ++i)
        call(client->get(QStringLiteral("/v1/posts")));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("outpost-screenshots"));
    QApplication::setOrganizationName(QStringLiteral("Outpost"));
    QStandardPaths::setTestModeEnabled(true); // no settings of the real app touched
    QSettings().clear();                      // nor of an earlier run (column widths)
    const QString out = QApplication::arguments().value(1, QStringLiteral("."));
    QDir().mkpath(out);
    QTemporaryDir data;

    App::MainWindow window;
    window.setEmbeddedDataDir(data.path());
    window.setEmbeddedBcryptCost(4);
    window.resize(1200, 760);
    window.show();
    window.startEmbedded();
    QDeadlineTimer deadline(60'000);
    while (!window.session() && !deadline.hasExpired())
        pause(100);
    if (!window.session()) {
        std::fprintf(stderr, "outpost-screenshots: the embedded server did not start\n");
        return 1;
    }
    seed(window.session()->client());
    window.postsView()->refresh();

    const std::pair<App::View *, const char *> views[] = {{window.dashboardView(), "dashboard"},
        {window.postsView(), "posts"}, {window.usersView(), "users"}, {window.filesView(), "files"},
        {window.pipelinesView(), "pipelines"}};
    // Some steady traffic for the dashboard's charts.
    QTimer traffic;
    QObject::connect(&traffic, &QTimer::timeout, &window,
        [&window] { window.session()->client()->get(QStringLiteral("/v1/posts")); });
    traffic.start(40);
    for (const auto &[view, name] : views) {
        window.showView(view);
        view->refresh();
        pause(view == window.dashboardView() ? 16'000 : 1'500);
        const QString file = QDir(out).filePath(QString::fromLatin1(name) + QStringLiteral(".png"));
        if (!window.grab().save(file)) {
            std::fprintf(stderr, "outpost-screenshots: cannot write %s\n", qPrintable(file));
            return 1;
        }
        std::printf("%s\n", qPrintable(file));
        traffic.stop();
    }
    return 0;
}
