// The app itself, offscreen, against a real embedded server in this process: the widgets a
// user touches, the data they show, live events, and switching to a second, remote server.
#include "connection/connectdialog.h"
#include "connection/credentialstore.h"
#include "connection/embeddedserver.h"
#include "connection/recentconnections.h"
#include "connection/session.h"
#include "core/version.h"
#include "factories.h"
#include "mainwindow.h"
#include "models/apikeysmodel.h"
#include "models/pipelinesmodel.h"
#include "models/postsmodel.h"
#include "models/runsmodel.h"
#include "models/usersmodel.h"
#include "testserver.h"
#include "views/dashboardview.h"
#include "views/filepreview.h"
#include "views/filesview.h"
#include "views/pipelinesview.h"
#include "views/postdialog.h"
#include "views/postreader.h"
#include "views/postsview.h"
#include "views/usersview.h"
#include "widgets/chiplist.h"
#include "widgets/statusnotice.h"

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTextList>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

bool listed(const App::PagedTableModel *model, const QString &title)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data().toString() == title)
            return true;
    }
    return false;
}

} // namespace

class TestAppGui final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;
    std::unique_ptr<App::MainWindow> m_window;

    App::PostDialog *openNewPostDialog()
    {
        m_window->postsView()->createNew();
        App::PostDialog *dialog = nullptr;
        [&] { QTRY_VERIFY((dialog = m_window->findChild<App::PostDialog *>()) != nullptr); }();
        return dialog;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_data.isValid());
        m_window = std::make_unique<App::MainWindow>();
        m_window->setEmbeddedDataDir(m_data.path());
        m_window->setEmbeddedBcryptCost(4);
        // A single PUT above 4 MiB is refused, so a larger upload must go up in parts.
        m_window->setEmbeddedSetting(QStringLiteral("MAX_BODY_BYTES"), QStringLiteral("4MiB"));
        m_window->show();
        QSignalSpy started(m_window.get(), &App::MainWindow::sessionStarted);
        m_window->startEmbedded();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session() != nullptr, 30'000);
        QCOMPARE(m_window->session()->mode(), App::Session::Mode::Embedded);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isAdmin(), 10'000);
    }

    void cleanupTestCase() { m_window.reset(); }

    void embeddedServerIsLocalAndSignedInAsAdmin()
    {
        const QUrl url = m_window->session()->url();
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(url.port() > 0);
        QCOMPARE(m_window->session()->user()->email, App::EmbeddedServer::localAdminEmail());
        auto *mode = m_window->findChild<QLabel *>(QStringLiteral("modeLabel"));
        QVERIFY(mode->text().contains(url.toString()));
        auto *live = m_window->findChild<QLabel *>(QStringLiteral("liveLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(live->text().contains(QStringLiteral("Live")), 10'000);
        // The data lands in the chosen directory.
        QVERIFY(QFile::exists(m_data.filePath(QStringLiteral("outpost.db"))));
    }

    void createsAPostThroughThePostsView()
    {
        m_window->showView(m_window->postsView());
        App::PostDialog *dialog = openNewPostDialog();
        QVERIFY(dialog);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("title")),
            QStringLiteral("Hello from the GUI"));
        dialog->findChild<QPlainTextEdit *>(QStringLiteral("content"))
            ->setPlainText(QStringLiteral("Typed into the form."));
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::Save), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            listed(m_window->postsView()->model(), QStringLiteral("Hello from the GUI")), 10'000);
        QTRY_VERIFY(m_window->findChild<App::PostDialog *>() == nullptr); // closed
    }

    void readingPaneShowsTheSelectedPost()
    {
        Client::ApiClient *client = m_window->session()->client();
        QSignalSpy created(
            client->post(QStringLiteral("/v1/posts"),
                {{QStringLiteral("title"), QStringLiteral("Lighthouse maintenance")},
                    {QStringLiteral("content"),
                        QStringLiteral("# Keeping the lamp lit\n\nThe **lighthouse keeper** "
                                       "checks the rotating lens every night.\n\n- oil the "
                                       "gears\n- clean the rotating lens\n")}}),
            &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10'000);
        const qint64 id =
            created.first().at(0).value<Client::ApiResponse>().object().value(u"id").toInteger();
        QVERIFY(id > 0);
        m_window->showView(m_window->postsView());
        auto *model = m_window->postsView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOfId(id) >= 0, 10'000);
        App::PostReader *reader = m_window->postsView()->reader();
        QVERIFY(reader->isVisible());
        QVERIFY(reader->findChild<QLabel *>(QStringLiteral("readerPlaceholder"))->isVisible()
            || reader->postId() != 0);
        QSignalSpy phrases(reader, &App::PostReader::phrasesShown);
        m_window->postsView()->table()->setCurrentIndex(model->index(model->rowOfId(id), 0));
        QCOMPARE(reader->postId(), id);
        QCOMPARE(reader->findChild<QLabel *>(QStringLiteral("readerTitle"))->text(),
            QStringLiteral("Lighthouse maintenance"));
        const QString meta = reader->findChild<QLabel *>(QStringLiteral("readerMeta"))->text();
        QVERIFY2(meta.contains(App::EmbeddedServer::localAdminEmail()), qPrintable(meta));
        QVERIFY(meta.contains(QStringLiteral("votes: 0")));
        // Markdown rendered: a real heading, bold text and a list, no markup characters left.
        QTextDocument *document = reader->body()->document();
        QCOMPARE(document->firstBlock().text(), QStringLiteral("Keeping the lamp lit"));
        QCOMPARE(document->firstBlock().blockFormat().headingLevel(), 1);
        QVERIFY(!document->toPlainText().contains(QStringLiteral("**")));
        bool bold = false;
        bool list = false;
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            list = list || block.textList() != nullptr;
            for (auto fragment = block.begin(); !fragment.atEnd(); ++fragment) {
                if (fragment.fragment().text() == u"lighthouse keeper")
                    bold = fragment.fragment().charFormat().fontWeight() >= QFont::Bold;
            }
        }
        QVERIFY(bold);
        QVERIFY(list);
        // Key phrases from the server, as chips.
        QTRY_COMPARE_WITH_TIMEOUT(phrases.count(), 1, 10'000);
        const QStringList chips = reader->phrases()->chips();
        QVERIFY2(chips.contains(QStringLiteral("rotating lens")), qPrintable(chips.join(u',')));
        QCOMPARE(reader->phrases()->findChildren<QLabel *>().size(), chips.size());
    }

    void validationErrorAppearsNextToTheField()
    {
        const int rowsBefore = m_window->postsView()->model()->rowCount();
        App::PostDialog *dialog = openNewPostDialog();
        QVERIFY(dialog);
        QTest::keyClicks(
            dialog->findChild<QLineEdit *>(QStringLiteral("title")), QStringLiteral("   "));
        auto *titleError = dialog->findChild<QLabel *>(QStringLiteral("titleError"));
        QVERIFY(!titleError->isVisible());
        dialog->save();
        QTRY_VERIFY_WITH_TIMEOUT(titleError->isVisible(), 10'000);
        QVERIFY(!titleError->text().isEmpty());
        QVERIFY(!dialog->findChild<QLabel *>(QStringLiteral("contentError"))->isVisible());
        QVERIFY(dialog->isVisible()); // stays open for a fix
        // Nothing was created.
        QTest::qWait(200);
        QCOMPARE(m_window->postsView()->model()->rowCount(), rowsBefore);
        dialog->reject();
    }

    void postMadeElsewhereShowsUpLive()
    {
        // Another client (its own sign-in, plain HTTP) creates a post; no refresh in the app.
        Client::ApiClient other;
        other.setBaseUrl(m_window->session()->url());
        auto *model = m_window->postsView()->model();
        auto *call = other.post(QStringLiteral("/v1/users"),
            {{QStringLiteral("email"), QStringLiteral("writer@example.test")},
                {QStringLiteral("password"), kPassword}});
        QSignalSpy registered(call, &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(registered.count(), 1, 10'000);
        QSignalSpy signedIn(other.login(QStringLiteral("writer@example.test"), kPassword),
            &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, 10'000);
        QSignalSpy created(other.post(QStringLiteral("/v1/posts"),
                               {{QStringLiteral("title"), QStringLiteral("Posted elsewhere")},
                                   {QStringLiteral("content"), QStringLiteral("live")}}),
            &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(listed(model, QStringLiteral("Posted elsewhere")), 10'000);
    }

    void usersViewListsTheUsers()
    {
        m_window->showView(m_window->usersView());
        auto *model = m_window->usersView()->usersModel();
        QTRY_VERIFY_WITH_TIMEOUT(listed(model, App::EmbeddedServer::localAdminEmail()), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(listed(model, QStringLiteral("writer@example.test")), 10'000);
    }

    void newApiKeyIsShownOnceWithACopyButton()
    {
        m_window->showView(m_window->usersView());
        m_window->usersView()->createKey();
        QDialog *ask = nullptr;
        QTRY_VERIFY((ask = m_window->findChild<QDialog *>(QStringLiteral("keyDialog"))) != nullptr);
        ask->findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("deploy bot"));
        ask->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QDialog *shown = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (shown = m_window->findChild<QDialog *>(QStringLiteral("keyShownDialog"))) != nullptr,
            10'000);
        QVERIFY(shown->isVisible());
        const QString key = shown->findChild<QLineEdit *>(QStringLiteral("key"))->text();
        QVERIFY(key.size() >= 20);
        QVERIFY(shown->findChild<QLineEdit *>(QStringLiteral("key"))->isReadOnly());
        QVERIFY(shown->findChild<QLabel *>(QStringLiteral("keyWarning"))
                    ->text()
                    .contains(QStringLiteral("shown only this once")));
        auto *copy = shown->findChild<QPushButton *>(QStringLiteral("copy"));
        QGuiApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), key);
        QCOMPARE(copy->text(), QStringLiteral("Copied"));
        shown->reject();
        // The key is real: it reads posts (the dialog's default scope is read), and the same
        // key with one character changed is unknown (401).
        const auto statusWith = [this](const QString &token) {
            Client::ApiClient other;
            other.setBaseUrl(m_window->session()->url());
            other.setTokens(token, QString());
            QSignalSpy read(other.get(QStringLiteral("/v1/posts")), &Client::ApiCall::finished);
            [&] { QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 10'000); }();
            return read.isEmpty() ? 0 : read.first().at(0).value<Client::ApiResponse>().status;
        };
        QCOMPARE(statusWith(key), 200);
        QString wrong = key;
        wrong.back() = wrong.back() == u'A' ? u'B' : u'A';
        QCOMPARE(statusWith(wrong), 401);
        // And it is not shown anywhere again: the list has its name, not the key.
        auto *keys = m_window->usersView()->keysModel();
        QTRY_VERIFY_WITH_TIMEOUT(listed(keys, QStringLiteral("deploy bot")), 10'000);
        for (int row = 0; row < keys->rowCount(); ++row) {
            for (int column = 0; column < keys->columnCount(); ++column)
                QVERIFY(!keys->index(row, column).data().toString().contains(key));
        }
    }

    void dashboardShowsServerFacts()
    {
        m_window->showView(m_window->dashboardView());
        auto *version = m_window->dashboardView()->infoLabel(QStringLiteral("version"));
        QTRY_COMPARE_WITH_TIMEOUT(version->text(), QString::fromLatin1(kVersion), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboardView()
                                     ->infoLabel(QStringLiteral("database"))
                                     ->text()
                                     .contains(QStringLiteral("sqlite"), Qt::CaseInsensitive),
            10'000);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_window->dashboardView()->infoLabel(QStringLiteral("users"))->text(),
            QStringLiteral("2"), 10'000);
    }

    void dashboardUptimeTicks()
    {
        App::DashboardView *view = m_window->dashboardView();
        m_window->showView(view);
        QTRY_VERIFY_WITH_TIMEOUT(view->uptimeSeconds() >= 0, 10'000);
        QLabel *uptime = view->infoLabel(QStringLiteral("uptime"));
        const QString first = uptime->text();
        const qint64 firstSeconds = view->uptimeSeconds();
        // No reload of the server's details: the label follows this computer's clock.
        QTRY_VERIFY_WITH_TIMEOUT(uptime->text() != first, 5'000);
        QVERIFY(view->uptimeSeconds() > firstSeconds);
        QVERIFY(uptime->text().endsWith(QStringLiteral(" s")));
        QVERIFY(!uptime->toolTip().isEmpty()); // when it started
    }

    void dashboardChartsHaveATimeAxisAndAWindow()
    {
        App::DashboardView *view = m_window->dashboardView();
        m_window->showView(view);
        QTRY_VERIFY_WITH_TIMEOUT(view->chartPoints() >= 2, 15'000);
        QCOMPARE(view->chartWindow(), qint64(300));
        QDateTimeAxis *axis = view->timeAxis();
        QCOMPARE(axis->min().secsTo(axis->max()), qint64(300));
        QVERIFY(qAbs(axis->max().secsTo(QDateTime::currentDateTime())) < 60);
        QCOMPARE(axis->format(), QStringLiteral("HH:mm:ss"));
        view->findChild<QComboBox *>(QStringLiteral("chartWindow"))->setCurrentIndex(1);
        QCOMPARE(view->chartWindow(), qint64(3600));
        QCOMPARE(axis->min().secsTo(axis->max()), qint64(3600));
        QCOMPARE(axis->format(), QStringLiteral("HH:mm"));
        QVERIFY(view->chartPoints() >= 1); // the same samples, averaged per slice
        view->setChartWindow(App::DashboardView::kHistorySecs);
        QCOMPARE(axis->min().secsTo(axis->max()), App::DashboardView::kHistorySecs);
        QVERIFY(view->chartPoints() >= 1);
        QVERIFY(view->chartPoints() <= App::DashboardView::kMaxChartPoints);
        view->setChartWindow(300);
    }

    void serverErrorsAreShownReadably()
    {
        // Deleting a vanished post is a 404 problem, shown with its title and detail.
        Client::ApiClient *client = m_window->session()->client();
        QSignalSpy gone(
            client->del(QStringLiteral("/v1/posts/999999")), &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(gone.count(), 1, 10'000);
        const auto response = gone.first().at(0).value<Client::ApiResponse>();
        QCOMPARE(response.status, 404);
        QVERIFY(response.errorText().startsWith(QStringLiteral("Not Found: ")));
        // An error of the page shown goes to the banner; another page's only to the status bar.
        m_window->showView(m_window->dashboardView());
        Q_EMIT m_window->filesView()->errorOccurred(QStringLiteral("elsewhere"));
        QVERIFY2(m_window->lastError().isEmpty(), qPrintable(m_window->lastError()));
        m_window->showView(m_window->postsView());
        Q_EMIT m_window->postsView()->errorOccurred(response.errorText());
        QCOMPARE(m_window->lastError(), response.errorText());
    }

    void missingKeychainIsSaidInPlainWords()
    {
        const QString raw = QStringLiteral("Failed to execute child process \"dbus-launch\" (No "
                                           "such file or directory)");
        auto *credentials = m_window->findChild<App::CredentialStore *>();
        QVERIFY(credentials);
        m_window->statusBar()->clearMessage(); // "Connected" would hide the bar's widgets
        Q_EMIT credentials->keychainUnavailable(raw);
        App::StatusNotice *notice = m_window->statusNotice();
        QVERIFY(notice->isVisible());
        QCOMPARE(notice->fullText(),
            QStringLiteral("Passwords are not remembered on this computer: no keychain found"));
        QVERIFY(!notice->text().contains(QStringLiteral("dbus")));
        QVERIFY(notice->toolTip().contains(raw)); // the detail, on hover
        // A narrow window shortens it after a whole word, never inside one.
        const QSize before = m_window->size();
        m_window->resize(720, before.height());
        QTRY_VERIFY(notice->text() != notice->fullText());
        QString shown = notice->text();
        QVERIFY(shown.endsWith(QChar(0x2026)));
        shown.chop(1);
        QVERIFY(notice->fullText().startsWith(shown));
        QVERIFY(notice->fullText().at(shown.size()) == QLatin1Char(' ')
            || notice->fullText().at(shown.size()) == QLatin1Char(':'));
        m_window->resize(before);
        notice->clearNotice();
    }

    void bannerTextsAreNotRepeatedInTheStatusBar()
    {
        m_window->showView(m_window->postsView());
        m_window->statusBar()->clearMessage();
        const QString message = QStringLiteral("Conflict: the post was changed by someone else "
                                               "since you opened it; reload it, then apply your "
                                               "changes again.");
        Q_EMIT m_window->postsView()->errorOccurred(message);
        QCOMPARE(m_window->lastError(), message);
        QVERIFY(m_window->statusBar()->currentMessage().isEmpty());
        QVERIFY(m_window->statusNotice()->fullText().isEmpty());
        // Another page's error has no banner: the status bar says it, shortened at a word.
        Q_EMIT m_window->filesView()->errorOccurred(message);
        QCOMPARE(m_window->statusNotice()->fullText(), message);
        QVERIFY(m_window->statusNotice()->toolTip().contains(message));
        m_window->statusNotice()->clearNotice();
    }

    void uploadsAFileThroughTheFilesView()
    {
        QTemporaryDir local;
        QFile file(local.filePath(QStringLiteral("report.txt")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(300 * 1024, 'x'));
        file.close();
        m_window->showView(m_window->filesView());
        App::FilesView *view = m_window->filesView();
        QSignalSpy done(view, &App::FilesView::transfersFinished);
        QSignalSpy errors(view, &App::FilesView::errorOccurred); // a broken route fails here
        view->upload({file.fileName()}, QString());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20'000);
        QVERIFY2(
            errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()));
        QCOMPARE(view->overallProgress()->value(), view->overallProgress()->maximum());
        QTRY_VERIFY_WITH_TIMEOUT(
            view->listedPaths().contains(QStringLiteral("report.txt")), 10'000);
    }

    void filesArePreviewedByKind()
    {
        Client::ApiClient *client = m_window->session()->client();
        QImage picture(40, 30, QImage::Format_RGB32);
        picture.fill(Qt::darkCyan);
        QByteArray png;
        QBuffer buffer(&png);
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(picture.save(&buffer, "PNG"));
        QByteArray log;
        for (int line = 0; log.size() < 3 * App::FilePreview::kTextBytes; ++line)
            log += "line " + QByteArray::number(line) + ": grüße from the log\n";
        const struct
        {
            QString path;
            QByteArray content;
            QString type;
        } files[] = {
            {QStringLiteral("preview/notes.txt"), "plain words\n", QStringLiteral("text/plain")},
            {QStringLiteral("preview/readme.md"), "# Title\n\nSome *text*.\n",
                QStringLiteral("text/markdown")},
            {QStringLiteral("preview/data.json"), R"({"b":[1,2],"a":{"c":true}})",
                QStringLiteral("application/json")},
            {QStringLiteral("preview/pixel.png"), png, QStringLiteral("image/png")},
            {QStringLiteral("preview/big.log"), log, QStringLiteral("application/octet-stream")},
            {QStringLiteral("preview/blob.bin"), QByteArray("\x00\x01\x02", 3),
                QStringLiteral("application/octet-stream")},
        };
        for (const auto &file : files) {
            int status = 0;
            client->files()
                .put(file.path, file.content, file.type)
                .then(this, [&status](const Client::ApiResult<FileInfo> &stored) {
                    status = stored ? 201 : -1;
                });
            QTRY_VERIFY_WITH_TIMEOUT(status != 0, 10'000);
            QCOMPARE(status, 201);
        }
        App::FilesView *view = m_window->filesView();
        m_window->showView(view);
        view->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(
            view->listedPaths().contains(QStringLiteral("preview/blob.bin")), 10'000);
        App::FilePreview *preview = view->preview();
        const auto select = [&](const QString &path) {
            QSignalSpy shown(preview, &App::FilePreview::shown);
            view->selectPath(path);
            QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 10'000);
        };
        using Kind = App::FilePreview::Kind;
        select(QStringLiteral("preview/notes.txt"));
        QCOMPARE(preview->kind(), Kind::Text);
        QCOMPARE(preview->shownText(), QStringLiteral("plain words\n"));
        QVERIFY(preview->note().isEmpty());

        select(QStringLiteral("preview/readme.md"));
        QCOMPARE(preview->kind(), Kind::Markdown);
        auto *markdown = preview->findChild<QTextBrowser *>(QStringLiteral("markdownPreview"));
        QVERIFY(markdown->isVisible());
        QCOMPARE(markdown->document()->firstBlock().blockFormat().headingLevel(), 1);
        QVERIFY(!preview->shownText().contains(u'#'));

        select(QStringLiteral("preview/data.json"));
        QCOMPARE(preview->kind(), Kind::Json);
        QCOMPARE(preview->shownText(),
            QString::fromUtf8(QJsonDocument::fromJson(R"({"b":[1,2],"a":{"c":true}})")
                                  .toJson(QJsonDocument::Indented)));
        QVERIFY(preview->shownText().contains(QStringLiteral("\n    \"a\": {")));

        select(QStringLiteral("preview/pixel.png"));
        QCOMPARE(preview->kind(), Kind::Image);
        auto *image = preview->findChild<QLabel *>(QStringLiteral("imagePreview"));
        QVERIFY(image->isVisible());
        QCOMPARE(image->pixmap().size(), QSize(40, 30));

        // Long text: only the first kTextBytes are read (a Range request), and it says so.
        select(QStringLiteral("preview/big.log"));
        QCOMPARE(preview->kind(), Kind::Text);
        QVERIFY(preview->shownText().startsWith(QStringLiteral("line 0: grüße from the log\n")));
        QVERIFY(preview->shownText().toUtf8().size() <= App::FilePreview::kTextBytes);
        QVERIFY(preview->shownText().toUtf8().size() > App::FilePreview::kTextBytes - 4);
        QVERIFY(!preview->shownText().contains(QChar::ReplacementCharacter));
        QVERIFY2(preview->note().startsWith(QStringLiteral("Showing the first 64")),
            qPrintable(preview->note()));

        select(QStringLiteral("preview/blob.bin"));
        QCOMPARE(preview->kind(), Kind::None);
        QVERIFY(preview->findChild<QLabel *>(QStringLiteral("noPreview"))->isVisible());
    }

    void uploadsALargeFileInParts()
    {
        Client::ApiClient *client = m_window->session()->client();
        QTemporaryDir local;
        QFile file(local.filePath(QStringLiteral("large.bin")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray chunk(1024 * 1024, '\0');
        for (int i = 0; i < 10; ++i) { // 10 MiB: over the 4 MiB body limit and the part size
            chunk.fill(char('a' + i));
            file.write(chunk);
        }
        file.close();
        m_window->showView(m_window->filesView());
        App::FilesView *view = m_window->filesView();
        QSignalSpy done(view, &App::FilesView::transfersFinished);
        QSignalSpy errors(view, &App::FilesView::errorOccurred);
        view->upload({file.fileName()}, QString());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60'000);
        QVERIFY2(
            errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()));
        QCOMPARE(view->overallProgress()->value(), view->overallProgress()->maximum());
        QTRY_VERIFY_WITH_TIMEOUT(view->listedPaths().contains(QStringLiteral("large.bin")), 10'000);
        // Stored whole: the server's listing has all 10 MiB.
        QSignalSpy listing(client->get(QStringLiteral("/v1/files")), &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(listing.count(), 1, 10'000);
        qint64 stored = -1;
        const QJsonArray files = listing.first()
                                     .at(0)
                                     .value<Client::ApiResponse>()
                                     .object()
                                     .value(QStringLiteral("files"))
                                     .toArray();
        for (const QJsonValue &entry : files) {
            if (entry.toObject().value(QStringLiteral("file_path")).toString() == u"large.bin")
                stored = entry.toObject().value(QStringLiteral("size_bytes")).toInteger();
        }
        QCOMPARE(stored, qint64(10) * 1024 * 1024);
    }

    void pipelineRunShowsUpLive()
    {
        Client::ApiClient *client = m_window->session()->client();
        QSignalSpy created(client->post(QStringLiteral("/v1/pipelines"),
                               {{QStringLiteral("name"), QStringLiteral("build")}}),
            &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10'000);
        const auto pipeline = created.first().at(0).value<Client::ApiResponse>();
        QCOMPARE(pipeline.status, 201);
        const qint64 id = pipeline.object().value(QStringLiteral("id")).toInteger();
        m_window->showView(m_window->pipelinesView());
        auto *model = m_window->pipelinesView()->pipelinesModel();
        QTRY_VERIFY_WITH_TIMEOUT(listed(model, QStringLiteral("build")), 10'000);
        // A run reported by someone else arrives as an event: no refresh in the app.
        QSignalSpy reported(client->post(QStringLiteral("/v1/pipelines/%1/runs").arg(id),
                                {{QStringLiteral("run_number"), 1},
                                    {QStringLiteral("status"), QStringLiteral("in_progress")},
                                    {QStringLiteral("head_branch"), QStringLiteral("main")}}),
            &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(reported.count(), 1, 10'000);
        QCOMPARE(reported.first().at(0).value<Client::ApiResponse>().status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(model->index(model->rowOfId(id), App::PipelinesModel::LastRun)
                                     .data()
                                     .toString()
                                     .contains(QStringLiteral("running")),
            10'000);
    }

    void pipelinesFitAndShowTheRunsAtOnce()
    {
        Client::ApiClient *client = m_window->session()->client();
        QSignalSpy created(
            client->post(QStringLiteral("/v1/pipelines"),
                {{QStringLiteral("name"), QStringLiteral("deploy-production")},
                    {QStringLiteral("repository"), QStringLiteral("example/outpost-deployments")}}),
            &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10'000);
        QCOMPARE(created.first().at(0).value<Client::ApiResponse>().status, 201);
        m_window->resize(1280, 800);
        App::PipelinesView *view = m_window->pipelinesView();
        m_window->showView(view);
        view->refresh();
        auto *pipelines = view->pipelinesModel();
        QTRY_VERIFY_WITH_TIMEOUT(listed(pipelines, QStringLiteral("deploy-production")), 10'000);
        // A pipeline is selected on load and its runs are listed without a click.
        QTRY_VERIFY_WITH_TIMEOUT(view->currentPipelineId() != 0, 10'000);
        auto *runs = view->runsModel();
        QTRY_COMPARE_WITH_TIMEOUT(runs->pipelineId(), view->currentPipelineId(), 10'000);
        // Pick "build", which has a run (pipelineRunShowsUpLive).
        auto *table = view->findChild<QTableView *>(QStringLiteral("pipelinesTable"));
        int buildRow = -1;
        for (int row = 0; row < pipelines->rowCount(); ++row) {
            if (pipelines->index(row, 0).data().toString() == u"build")
                buildRow = row;
        }
        QVERIFY(buildRow >= 0);
        table->setCurrentIndex(pipelines->index(buildRow, 0));
        QTRY_VERIFY_WITH_TIMEOUT(runs->rowCount() > 0, 10'000);
        // No run selected: a line of text beside the runs, not an empty "Run" box.
        auto *runBox = view->findChild<QWidget *>(QStringLiteral("runBox"));
        auto *placeholder = view->findChild<QLabel *>(QStringLiteral("noRunPlaceholder"));
        QVERIFY(!runBox->isVisible());
        QVERIFY(placeholder->isVisible());
        // Every column is as wide as its header and contents, and all fit in the table.
        const auto cutOff = [view]() -> QString {
            for (auto *name : {"pipelinesTable", "runsTable"}) {
                auto *shown = view->findChild<QTableView *>(QLatin1String(name));
                QHeaderView *header = shown->horizontalHeader();
                int total = 0;
                for (int column = 0; column < header->count(); ++column) {
                    int needed = header->sectionSizeHint(column);
                    for (int row = 0; row < shown->model()->rowCount(); ++row) {
                        needed = qMax(needed,
                            shown->sizeHintForIndex(shown->model()->index(row, column)).width());
                    }
                    if (header->sectionSize(column) < needed) {
                        return QStringLiteral("%1 column %2: %3 < %4")
                            .arg(QLatin1String(name))
                            .arg(column)
                            .arg(header->sectionSize(column))
                            .arg(needed);
                    }
                    total += header->sectionSize(column);
                }
                if (total > shown->viewport()->width())
                    return QStringLiteral("%1 is wider than its view").arg(QLatin1String(name));
            }
            return {};
        };
        QTRY_COMPARE(cutOff(), QString());
        // Selecting a run shows it; a live update of that run keeps it selected.
        auto *runTable = view->findChild<QTableView *>(QStringLiteral("runsTable"));
        runTable->setCurrentIndex(runs->index(0, 0));
        const qint64 runId = runs->idAt(0);
        QTRY_VERIFY(runBox->isVisible());
        QVERIFY(!placeholder->isVisible());
        QCOMPARE(view->currentRunId(), runId);
        QSignalSpy loaded(runs, &App::PagedTableModel::loaded);
        view->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 10'000);
        QCOMPARE(view->currentRunId(), runId);
        QCOMPARE(runs->idAt(runTable->currentIndex().row()), runId);
        QVERIFY(runBox->isVisible());
    }

    void switchingToARemoteServerShowsItsData()
    {
        TestServer remote;
        QVERIFY2(remote.start(), qPrintable(remote.lastError()));
        const Account admin = createAdmin(remote);
        QVERIFY(admin.ok());
        QVERIFY(createPost(remote, admin, QStringLiteral("Only on the remote server")) > 0);

        App::ConnectDialog *dialog = m_window->showConnectDialog();
        dialog->findChild<QLineEdit *>(QStringLiteral("url"))->setText(remote.url().toString());
        dialog->findChild<QLineEdit *>(QStringLiteral("email"))->setText(admin.email);
        dialog->findChild<QLineEdit *>(QStringLiteral("password"))->setText(admin.password);
        QTest::mouseClick(
            dialog->findChild<QPushButton *>(QStringLiteral("connect")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->session() && m_window->session()->mode() == App::Session::Mode::Remote,
            15'000);
        auto *model = m_window->postsView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(
            listed(model, QStringLiteral("Only on the remote server")), 10'000);
        QVERIFY(!listed(model, QStringLiteral("Hello from the GUI")));
        auto *mode = m_window->findChild<QLabel *>(QStringLiteral("modeLabel"));
        QVERIFY(mode->text().contains(remote.url().toString().chopped(1))
            || mode->text().contains(remote.url().toString()));
        // Remembered for next time (URL and email only).
        const auto recent = App::RecentConnections::load();
        QVERIFY(!recent.isEmpty());
        QCOMPARE(recent.first().email, admin.email);
        QCOMPARE(App::RecentConnections::lastMode(), QStringLiteral("remote"));
        // No password or token in the settings file.
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(!stored.contains(admin.password.toUtf8()));
        QVERIFY(!stored.contains(m_window->session()->client()->refreshToken().toUtf8()));
    }

    void wrongPasswordIsShownInTheConnectDialog()
    {
        TestServer remote;
        QVERIFY2(remote.start(), qPrintable(remote.lastError()));
        const Account admin = createAdmin(remote);
        App::ConnectDialog *dialog = m_window->showConnectDialog();
        dialog->setRemote(remote.url(), admin.email, QStringLiteral("Not-the-password-1"));
        dialog->connectRemote();
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("error"));
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 10'000);
        QVERIFY(error->text().startsWith(QStringLiteral("Unauthorized")));
        QVERIFY(dialog->isVisible());
        dialog->reject();
    }
};

QTEST_MAIN(TestAppGui)
#include "tst_appgui.moc"
