#pragma once
// The main window on a fresh embedded server with a little of everything (a post, a pipeline
// with a failed run, a file, a webhook subscription), for the accessibility and keyboard suites.
#include "client/apiclient.h"
#include "connection/session.h"
#include "embeddedwindow.h"
#include "mainwindow.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <memory>
#include <optional>

namespace Outpost::Test {

// Waits for a typed call's answer; nullopt if none came in time.
template<typename T>
std::optional<Client::ApiResult<T>> awaitReply(
    const Client::Reply<T> &reply, int timeoutMs = 15'000)
{
    std::optional<Client::ApiResult<T>> result;
    QObject context;
    reply.then(&context, [&](const Client::ApiResult<T> &answer) { result = answer; });
    (void)QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs);
    return result;
}

// The app's language: its own catalogue (and Qt's, where installed) loaded the way main.cpp
// loads them, before any widget exists, so every tr() is in that language.
class AppLanguage
{
public:
    bool install(const QString &language)
    {
        const QLocale locale(language);
        QLocale::setDefault(locale);
        QSettings().setValue(QStringLiteral("language"), language);
        if (m_qt.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&m_qt);
        if (!m_app.load(locale, QStringLiteral("outpost"), QStringLiteral("_"),
                QStringLiteral(OUTPOST_QM_DIR)))
            return false;
        QCoreApplication::installTranslator(&m_app);
        return true;
    }
    ~AppLanguage()
    {
        QCoreApplication::removeTranslator(&m_app);
        QCoreApplication::removeTranslator(&m_qt);
        QLocale::setDefault(QLocale::c());
    }

private:
    QTranslator m_qt;
    QTranslator m_app;
};

class AppFixture
{
public:
    // Starts the window at 1280×800 on the embedded server, signed in as its admin.
    bool start()
    {
        if (!m_data.isValid())
            return false;
        m_window = std::make_unique<App::MainWindow>();
        return startEmbeddedWindow(*m_window, m_data.path());
    }

    App::MainWindow *window() const { return m_window.get(); }
    Client::ApiClient *client() const { return m_window->session()->client(); }

    // One of each, through the API as another client would.
    bool seed()
    {
        Client::ApiClient *api = client();
        PostWrite post;
        post.title = QStringLiteral("Lighthouse maintenance");
        post.content = QStringLiteral("# Keeping the lamp lit\n\nOil the **gears** every night.");
        post.published = true;
        const auto created = awaitReply(api->posts().create(post));
        if (!created || !*created)
            return false;
        postId = (*created)->value.id;
        PostWrite second;
        second.title = QStringLiteral("Harbour opening hours");
        second.content = QStringLiteral("Open from dawn to dusk.");
        second.published = true;
        if (const auto made = awaitReply(api->posts().create(second)); !made || !*made)
            return false;
        const auto file = awaitReply(api->files().put(QStringLiteral("docs/readme.txt"),
            QByteArray("Outpost sample file.\n"), QStringLiteral("text/plain")));
        if (!file || !*file)
            return false;
        PipelineCreate pipeline;
        pipeline.name = QStringLiteral("api nightly");
        pipeline.repository = QStringLiteral("acme/api");
        const auto madePipeline = awaitReply(api->pipelines().create(pipeline));
        if (!madePipeline || !*madePipeline)
            return false;
        RunUpdate run;
        run.status = QStringLiteral("completed");
        run.conclusion = QStringLiteral("failure");
        run.headBranch = QStringLiteral("main");
        const auto reported = awaitReply(api->pipelines().report((*madePipeline)->id, run));
        if (!reported || !*reported)
            return false;
        SubscriptionCreate hook;
        hook.kind = SubscriptionKinds::webhook;
        hook.target = QStringLiteral("https://hooks.example.org/outpost");
        hook.events = {QStringLiteral("post.created")};
        hook.description = QStringLiteral("Team chat");
        const auto subscription = awaitReply(api->subscriptions().create(hook));
        return subscription && *subscription;
    }

    qint64 postId = 0;

private:
    QTemporaryDir m_data;
    std::unique_ptr<App::MainWindow> m_window;
};

} // namespace Outpost::Test
