// The Posts view against a real server (outpost-server, signed in remotely), offscreen:
// editing in the reading pane with Save and Cancel, a stale edit (412) shown with what the
// other person changed and the choice to load theirs or overwrite, a live change noted while
// editing, ranked search hits with highlighted snippets that stay text whatever the server
// sends, search words highlighted in the post, and links in the palette's link colour.
#include "client/eventstream.h"
#include "connection/session.h"
#include "factories.h"
#include "mainwindow.h"
#include "models/postsmodel.h"
#include "remotesignin.h"
#include "settings/appearance.h"
#include "testserver.h"
#include "views/posteditor.h"
#include "views/postreader.h"
#include "views/postsview.h"
#include "views/searchsnippet.h"
#include "views/textdiff.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFrame>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

constexpr int kWaitMs = 30'000;

} // namespace

class TestAppPosts final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    std::unique_ptr<App::MainWindow> m_window;

    App::PostsView *view() const { return m_window->postsView(); }
    App::PostReader *reader() const { return view()->reader(); }
    App::PostEditor *editor() const { return reader()->editor(); }

    QJsonObject serverPost(qint64 id)
    {
        const HttpResult result =
            get(m_server, QStringLiteral("/v1/posts/%1").arg(id), m_admin.auth());
        return result.json().object();
    }

    // Someone else's edit, straight through the API (no If-Match).
    void editElsewhere(qint64 id, const QString &title, const QString &content)
    {
        const HttpResult result = put(m_server, QStringLiteral("/v1/posts/%1").arg(id),
            {{QStringLiteral("title"), title}, {QStringLiteral("content"), content}},
            m_admin.auth());
        QCOMPARE(result.status, 200);
    }

    // Selects post `id` in the list and starts editing it in the reading pane.
    void startEditing(qint64 id)
    {
        view()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(view()->model()->rowOfId(id) >= 0, kWaitMs);
        view()->table()->setCurrentIndex(view()->model()->index(view()->model()->rowOfId(id), 0));
        QCOMPARE(reader()->postId(), id);
        QSignalSpy started(editor(), &App::PostEditor::started);
        auto *edit = view()->findChild<QAction *>(QStringLiteral("editPost"));
        QVERIFY(edit && edit->isEnabled());
        edit->trigger();
        QVERIFY(started.wait(kWaitMs));
        QVERIFY(reader()->isEditing());
        QVERIFY(editor()->isVisible());
    }

    QPushButton *saveButton() const { return editor()->buttons()->button(QDialogButtonBox::Save); }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Outpost::Post>();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        m_window = std::make_unique<App::MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(connectRemote(*m_window, m_server.url(), m_admin.email, m_admin.password));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->events()->isOnline(), kWaitMs);
        m_window->showView(view());
    }

    void cleanupTestCase() { m_window.reset(); }

    // A failed test leaves no editor open for the next one.
    void cleanup()
    {
        if (reader()->isEditing()) {
            editor()->setClient(nullptr);
            editor()->cancel();
            if (auto *box = m_window->findChild<QMessageBox *>(QStringLiteral("confirm")))
                box->button(QMessageBox::Yes)->click();
            editor()->setClient(m_window->session()->client());
        }
    }

    void editsInPlaceAndSaves()
    {
        const qint64 id = createPost(m_server, m_admin, QStringLiteral("Harbour notes"),
            QStringLiteral("The tide comes in at six."));
        QVERIFY(id > 0);
        startEditing(id);
        if (QTest::currentTestFailed())
            return;
        // No dialog: the pane itself edits, the list waits.
        QVERIFY(m_window->findChildren<QDialog *>().isEmpty()
            || !m_window->findChild<QDialog *>()->isVisible());
        QVERIFY(!view()->table()->isEnabled());
        QCOMPARE(editor()->titleEdit()->text(), QStringLiteral("Harbour notes"));
        QCOMPARE(
            editor()->contentEdit()->toPlainText(), QStringLiteral("The tide comes in at six."));
        editor()->titleEdit()->selectAll();
        QTest::keyClicks(editor()->titleEdit(), QStringLiteral("Harbour notes, revised"));
        editor()->contentEdit()->setPlainText(QStringLiteral("The tide comes in at **seven**."));
        QSignalSpy saved(reader(), &App::PostReader::saved);
        QTest::mouseClick(saveButton(), Qt::LeftButton);
        QVERIFY(saved.wait(kWaitMs));
        QVERIFY(!reader()->isEditing());
        QVERIFY(view()->table()->isEnabled());
        QCOMPARE(reader()->findChild<QLabel *>(QStringLiteral("readerTitle"))->text(),
            QStringLiteral("Harbour notes, revised"));
        QCOMPARE(reader()->body()->toPlainText().trimmed(),
            QStringLiteral("The tide comes in at seven."));
        const QJsonObject stored = serverPost(id);
        QCOMPARE(stored.value(u"title").toString(), QStringLiteral("Harbour notes, revised"));
        QCOMPARE(
            stored.value(u"content").toString(), QStringLiteral("The tide comes in at **seven**."));
        QTRY_COMPARE_WITH_TIMEOUT(view()->model()->itemAt(view()->model()->rowOfId(id))->title,
            QStringLiteral("Harbour notes, revised"), kWaitMs);
    }

    void editsWithTheKeyboardOnly()
    {
        const qint64 id = createPost(m_server, m_admin, QStringLiteral("Keyboard notes"),
            QStringLiteral("Typed, not clicked."));
        view()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(view()->model()->rowOfId(id) >= 0, kWaitMs);
        view()->table()->setCurrentIndex(view()->model()->index(view()->model()->rowOfId(id), 0));
        // Shortcuts go to the active window.
        QApplication::setActiveWindow(m_window.get());
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        view()->table()->setFocus();
        QSignalSpy started(editor(), &App::PostEditor::started);
        QTest::keyClick(view()->table(), Qt::Key_F2); // Edit
        QVERIFY(started.wait(kWaitMs));
        QVERIFY(editor()->titleEdit()->hasFocus());
        QTest::keyClick(editor()->titleEdit(), Qt::Key_End);
        QTest::keyClicks(editor()->titleEdit(), QStringLiteral(" (saved with Ctrl+S)"));
        QSignalSpy saved(reader(), &App::PostReader::saved);
        QTest::keyClick(editor()->titleEdit(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY(saved.wait(kWaitMs));
        QVERIFY(!reader()->isEditing());
        QCOMPARE(serverPost(id).value(u"title").toString(),
            QStringLiteral("Keyboard notes (saved with Ctrl+S)"));
    }

    void validationErrorStaysInTheEditor()
    {
        const qint64 id = createPost(m_server, m_admin, QStringLiteral("Keep my title"));
        startEditing(id);
        if (QTest::currentTestFailed())
            return;
        editor()->titleEdit()->setText(QStringLiteral("   "));
        editor()->save();
        auto *titleError = editor()->findChild<QLabel *>(QStringLiteral("editTitleError"));
        QTRY_VERIFY_WITH_TIMEOUT(titleError->isVisible(), kWaitMs);
        QVERIFY(!titleError->text().isEmpty());
        QVERIFY(reader()->isEditing());
        QCOMPARE(serverPost(id).value(u"title").toString(), QStringLiteral("Keep my title"));
        // Esc with changes asks first; Yes discards them.
        QTest::keyClick(editor()->contentEdit(), Qt::Key_Escape);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(QStringLiteral("confirm"))) != nullptr
            && box->isVisible());
        QVERIFY(reader()->isEditing());
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_VERIFY(!reader()->isEditing());
        QCOMPARE(reader()->findChild<QLabel *>(QStringLiteral("readerTitle"))->text(),
            QStringLiteral("Keep my title"));
    }

    void cancelWithoutChangesJustCloses()
    {
        const qint64 id = createPost(m_server, m_admin, QStringLiteral("Untouched"));
        startEditing(id);
        if (QTest::currentTestFailed())
            return;
        QTest::mouseClick(editor()->buttons()->button(QDialogButtonBox::Cancel), Qt::LeftButton);
        QVERIFY(!reader()->isEditing());
        QVERIFY(m_window->findChild<QMessageBox *>(QStringLiteral("confirm")) == nullptr
            || !m_window->findChild<QMessageBox *>(QStringLiteral("confirm"))->isVisible());
    }

    void staleEditShowsTheirChangesAndLoadsThem()
    {
        const qint64 id = createPost(m_server, m_admin, QStringLiteral("Ferry timetable"),
            QStringLiteral("Monday 08:00\nTuesday 08:00\nWednesday 08:00"));
        startEditing(id);
        if (QTest::currentTestFailed())
            return;
        editElsewhere(id, QStringLiteral("Ferry timetable (winter)"),
            QStringLiteral("Monday 08:00\nTuesday 09:30\nWednesday 08:00"));
        editor()->contentEdit()->setPlainText(
            QStringLiteral("Monday 07:00\nTuesday 08:00\nWednesday 08:00"));
        editor()->save();
        QTRY_VERIFY_WITH_TIMEOUT(editor()->conflictPanel()->isVisible(), kWaitMs);
        const QString text = editor()->findChild<QLabel *>(QStringLiteral("conflictText"))->text();
        QVERIFY2(text.contains(QStringLiteral("Someone else saved this post")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Ferry timetable (winter)")), qPrintable(text));
        // What they changed, line by line, against the version this edit started from.
        const QString changes = editor()->changesView()->toPlainText();
        QVERIFY2(changes.contains(QStringLiteral("- Tuesday 08:00")), qPrintable(changes));
        QVERIFY2(changes.contains(QStringLiteral("+ Tuesday 09:30")), qPrintable(changes));
        QVERIFY2(!changes.contains(QStringLiteral("Monday 07:00")), qPrintable(changes)); // mine
        QVERIFY(reader()->isEditing());
        // Nothing of mine reached the server.
        QCOMPARE(serverPost(id).value(u"content").toString(),
            QStringLiteral("Monday 08:00\nTuesday 09:30\nWednesday 08:00"));

        QTest::mouseClick(editor()->reloadButton(), Qt::LeftButton);
        QVERIFY(!editor()->conflictPanel()->isVisible());
        QCOMPARE(editor()->titleEdit()->text(), QStringLiteral("Ferry timetable (winter)"));
        QCOMPARE(editor()->contentEdit()->toPlainText(),
            QStringLiteral("Monday 08:00\nTuesday 09:30\nWednesday 08:00"));
        // Their version is the base now: saving on top of it works.
        editor()->contentEdit()->appendPlainText(QStringLiteral("Thursday 08:00"));
        QSignalSpy saved(reader(), &App::PostReader::saved);
        editor()->save();
        QVERIFY(saved.wait(kWaitMs));
        QVERIFY(
            serverPost(id).value(u"content").toString().endsWith(QStringLiteral("Thursday 08:00")));
    }

    void staleEditCanOverwriteButNotBlindly()
    {
        const qint64 id = createPost(
            m_server, m_admin, QStringLiteral("Lighthouse log"), QStringLiteral("Lamp checked."));
        startEditing(id);
        if (QTest::currentTestFailed())
            return;
        editElsewhere(id, QStringLiteral("Lighthouse log"), QStringLiteral("Lamp cleaned."));
        editor()->contentEdit()->setPlainText(QStringLiteral("Lamp replaced."));
        editor()->save();
        QTRY_VERIFY_WITH_TIMEOUT(editor()->conflictPanel()->isVisible(), kWaitMs);
        QVERIFY(editor()->changesView()->toPlainText().contains(QStringLiteral("+ Lamp cleaned.")));
        // A third edit after the conflict was shown: overwriting is refused again, with it.
        editElsewhere(id, QStringLiteral("Lighthouse log"), QStringLiteral("Lamp polished."));
        QSignalSpy saved(reader(), &App::PostReader::saved);
        QTest::mouseClick(editor()->overwriteButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            editor()->changesView()->toPlainText().contains(QStringLiteral("+ Lamp polished.")),
            kWaitMs);
        QCOMPARE(saved.count(), 0);
        QCOMPARE(serverPost(id).value(u"content").toString(), QStringLiteral("Lamp polished."));
        // Now overwrite what was seen.
        QTest::mouseClick(editor()->overwriteButton(), Qt::LeftButton);
        QVERIFY(saved.wait(kWaitMs));
        QVERIFY(!reader()->isEditing());
        QCOMPARE(serverPost(id).value(u"content").toString(), QStringLiteral("Lamp replaced."));
    }

    void liveChangeWhileEditingIsNoted()
    {
        const qint64 id = createPost(m_server, m_admin, QStringLiteral("Signal flags"));
        startEditing(id);
        if (QTest::currentTestFailed())
            return;
        auto *note = editor()->findChild<QWidget *>(QStringLiteral("remoteChangeRow"));
        QVERIFY(!note->isVisible());
        editElsewhere(
            id, QStringLiteral("Signal flags (updated)"), QStringLiteral("Red over white."));
        QTRY_VERIFY_WITH_TIMEOUT(note->isVisible(), kWaitMs);
        // The fields keep what is being typed.
        QCOMPARE(editor()->titleEdit()->text(), QStringLiteral("Signal flags"));
        editor()->cancel();
        QTRY_VERIFY(!reader()->isEditing());
    }

    void searchShowsRankedHitsWithSafeHighlights()
    {
        const qint64 id = createPost(m_server, m_admin, QStringLiteral("Quartz clock"),
            QStringLiteral("Tick <b>bold</b> & quartz <i>beat</i>."));
        QVERIFY(id > 0);
        QVERIFY(createPost(m_server, m_admin, QStringLiteral("Unrelated"),
                    QStringLiteral("Nothing to see."))
            > 0);
        auto *search = view()->findChild<QLineEdit *>(QStringLiteral("search"));
        QSignalSpy shown(view(), &App::PostsView::searchShown);
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("quartz"));
        QVERIFY(shown.wait(kWaitMs));
        QListWidget *results = view()->searchResults();
        QVERIFY(results->isVisible());
        QVERIFY(!view()->table()->isVisible());
        QCOMPARE(results->count(), 1);
        QListWidgetItem *hit = results->item(0);
        QCOMPARE(hit->text(), QStringLiteral("Quartz clock"));
        const QString html = hit->data(App::PostsView::kSnippetRole).toString();
        // The match highlighted; the post's own markup is text, not markup.
        QVERIFY2(html.contains(QStringLiteral("background-color:")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt; &amp;")), qPrintable(html));
        QVERIFY2(!html.contains(QStringLiteral("<b>")), qPrintable(html));
        QVERIFY2(!html.contains(QStringLiteral("<i>")), qPrintable(html));
        QVERIFY2(!html.contains(QStringLiteral("<mark>")), qPrintable(html));
        QVERIFY2(hit->toolTip().contains(QStringLiteral("<b>bold</b> & quartz <i>beat</i>")),
            qPrintable(hit->toolTip()));
        // The first hit is read at once, with the words found highlighted in it.
        QTRY_COMPARE_WITH_TIMEOUT(reader()->postId(), id, kWaitMs);
        QTextDocument *document = reader()->body()->document();
        const QColor highlight = reader()->palette().color(QPalette::Highlight);
        bool marked = false;
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            for (auto it = block.begin(); !it.atEnd(); ++it) {
                if (it.fragment().text().compare(u"quartz", Qt::CaseInsensitive) == 0)
                    marked = marked || it.fragment().charFormat().background().color() == highlight;
            }
        }
        QVERIFY(marked);
        // Editing works from a hit too.
        QSignalSpy started(editor(), &App::PostEditor::started);
        view()->findChild<QAction *>(QStringLiteral("editPost"))->trigger();
        QVERIFY(started.wait(kWaitMs));
        QCOMPARE(editor()->titleEdit()->text(), QStringLiteral("Quartz clock"));
        editor()->cancel();
        QTRY_VERIFY(!reader()->isEditing());

        // Nothing found says so; clearing the box brings the list back.
        QTest::keyClicks(search, QStringLiteral("zzzznothing"));
        QVERIFY(shown.wait(kWaitMs));
        QCOMPARE(results->count(), 0);
        QVERIFY(view()
                    ->findChild<QLabel *>(QStringLiteral("searchSummary"))
                    ->text()
                    .contains(QStringLiteral("No post matches")));
        search->clear();
        QTRY_VERIFY_WITH_TIMEOUT(view()->table()->isVisible(), kWaitMs);
        QVERIFY(!view()->isSearching());
    }

    void snippetMarkupIsOnlyEverAHighlight()
    {
        // What a hostile or broken server could send: tags, half tags, entities, nested marks.
        const QString sent = QStringLiteral(
            "<script>alert(1)</script> &lt;ok&gt; <mark>hit</mark> <a href=\"x\">link</a> "
            "<mark><mark>twice</mark> &amp;amp; tail &unknown; <mark>open");
        const QString html = App::snippetHtml(sent, Qt::yellow, Qt::black);
        QVERIFY2(!html.contains(QStringLiteral("<script")), qPrintable(html));
        QVERIFY2(!html.contains(QStringLiteral("<a ")), qPrintable(html));
        QVERIFY2(!html.contains(QStringLiteral("<mark")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("&lt;script&gt;")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("&lt;ok&gt;")), qPrintable(html));
        QCOMPARE(html.count(QStringLiteral("<span ")), html.count(QStringLiteral("</span>")));
        QTextDocument rendered;
        rendered.setHtml(html);
        QCOMPARE(rendered.toPlainText(), App::snippetPlainText(sent));
        QVERIFY(App::snippetPlainText(sent).startsWith(
            QStringLiteral("<script>alert(1)</script> <ok> hit <a")));
        QCOMPARE(App::snippetMatches(sent),
            (QStringList {
                QStringLiteral("hit"), QStringLiteral("<mark>twice"), QStringLiteral("open")}));
    }

    void lineDiffShowsWhatChanged()
    {
        const App::TextDiff diff = App::TextDiff::compute(QStringLiteral("a\nb\nc\nd\ne\nf\ng\nh"),
            QStringLiteral("a\nb\nc\nd\nE\nf\ng\nh\ni"), 1);
        QCOMPARE(diff.toText(), QStringLiteral("…\n  d\n- e\n+ E\n  f\n…\n  h\n+ i"));
        QVERIFY(App::TextDiff::compute(QStringLiteral("same"), QStringLiteral("same")).isEmpty());
        const App::TextDiff huge =
            App::TextDiff::compute(QStringLiteral("a\nb\nc"), QStringLiteral("x\ny\nz"), 2, 4);
        QVERIFY(huge.tooLarge);
        QVERIFY(huge.lines.isEmpty());
    }

    void linksUseThePaletteLinkColourInDarkMode()
    {
        const qint64 id = createPost(m_server, m_admin, QStringLiteral("Chart links"),
            QStringLiteral("See [the tide tables](https://example.org/tides) first."));
        view()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(view()->model()->rowOfId(id) >= 0, kWaitMs);
        view()->table()->setCurrentIndex(view()->model()->index(view()->model()->rowOfId(id), 0));
        const auto linkColour = [this] {
            QTextDocument *document = reader()->body()->document();
            for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
                for (auto it = block.begin(); !it.atEnd(); ++it) {
                    if (it.fragment().charFormat().isAnchor())
                        return it.fragment().charFormat().foreground().color();
                }
            }
            return QColor();
        };
        App::Appearance::apply(App::Appearance::Theme::Dark);
        QTRY_COMPARE(linkColour(), App::Appearance::darkPalette().color(QPalette::Link));
        QVERIFY(App::Appearance::isDark(reader()->palette()));
        App::Appearance::apply(App::Appearance::Theme::Light);
        QTRY_COMPARE(linkColour(), reader()->palette().color(QPalette::Link));
    }
};

QTEST_MAIN(TestAppPosts)
#include "tst_appposts.moc"
