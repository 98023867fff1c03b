// The man pages (packaging/man/*.1.in) list exactly the options `--help` prints, the commands
// outpost-server's help names, and every OUTPOST_* setting the configuration knows.
#include "config/config.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

using Names = QSet<QString>;

// The body of section NAME (from `.SH NAME` to the next `.SH`) of a man page.
QStringList section(const QString &page, const QString &name)
{
    QFile file(page);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    QStringList body;
    bool inside = false;
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String(".SH "))) {
            inside = line.mid(4).trimmed() == name;
            continue;
        }
        if (inside)
            body.append(line);
    }
    return body;
}

// The tag lines of a section: the line after each `.TP` and after each `.TQ`.
QStringList tags(const QStringList &body)
{
    QStringList result;
    for (qsizetype i = 0; i + 1 < body.size(); ++i) {
        if (body.at(i) == QLatin1String(".TP") || body.at(i) == QLatin1String(".TQ"))
            result.append(body.at(i + 1));
    }
    return result;
}

QString roffToText(QString line)
{
    line.replace(QLatin1String("\\-"), QLatin1String("-"));
    line.remove(QRegularExpression(QStringLiteral("\\\\f[BIRP]")));
    return line;
}

Names manOptions(const QString &page)
{
    static const QRegularExpression option(QStringLiteral("(?:^|[\\s\"])(--?[a-z][a-z-]*)"));
    Names names;
    for (const QString &tag : tags(section(page, QStringLiteral("OPTIONS")))) {
        const QString text = roffToText(tag);
        for (auto it = option.globalMatch(text); it.hasNext();)
            names.insert(it.next().captured(1));
    }
    return names;
}

// The first word of each tag line in COMMANDS, after the font macro.
Names manCommands(const QString &page)
{
    static const QRegularExpression command(QStringLiteral("^\\.B[RI]?\\s+([a-z][a-z-]*)"));
    Names names;
    for (const QString &tag : tags(section(page, QStringLiteral("COMMANDS")))) {
        const auto match = command.match(roffToText(tag));
        if (match.hasMatch())
            names.insert(match.captured(1));
    }
    return names;
}

Names manVariables(const QString &page)
{
    static const QRegularExpression variable(QStringLiteral("^\\.B\\s+(OUTPOST_[A-Z0-9_]+)$"));
    Names names;
    for (const QString &tag : tags(section(page, QStringLiteral("ENVIRONMENT")))) {
        const auto match = variable.match(roffToText(tag));
        if (match.hasMatch())
            names.insert(match.captured(1));
    }
    return names;
}

QString run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(30'000) || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput());
}

// The lines of the help text block that starts with HEADING (e.g. "Options:").
QStringList helpBlock(const QString &help, const QString &heading)
{
    QStringList block;
    bool inside = false;
    for (const QString &line : help.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1Char(' '))) {
            inside = line == heading;
            continue;
        }
        if (inside)
            block.append(line);
    }
    return block;
}

Names helpOptions(const QString &help)
{
    static const QRegularExpression option(QStringLiteral("^  (?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)"));
    Names names;
    for (const QString &line : helpBlock(help, QStringLiteral("Options:"))) {
        const auto match = option.match(line);
        if (!match.hasMatch())
            continue;
        if (!match.captured(1).isEmpty())
            names.insert(match.captured(1));
        names.insert(match.captured(2));
    }
    return names;
}

Names helpCommands(const QString &help)
{
    static const QRegularExpression command(QStringLiteral("^  ([a-z][a-z-]*)"));
    Names names;
    for (const QString &line : helpBlock(help, QStringLiteral("Commands:"))) {
        const auto match = command.match(line);
        if (match.hasMatch())
            names.insert(match.captured(1));
    }
    return names;
}

QString sorted(const Names &names)
{
    QStringList list(names.begin(), names.end());
    list.sort();
    return list.join(QLatin1Char(' '));
}

// Fails the test with what the page lacks, then with what it has that is not real. Called last
// in a test function (QCOMPARE returns from here only).
void compareNames(const Names &onPage, const Names &expected)
{
    QCOMPARE(sorted(Names(expected).subtract(onPage)), QString()); // missing from the page
    QCOMPARE(sorted(Names(onPage).subtract(expected)), QString()); // on the page, not real
}

} // namespace

class TestManPages final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverPageListsTheOptionsOfHelp()
    {
        const QString help = run(QStringLiteral(OUTPOST_SERVER_BIN), {QStringLiteral("--help")});
        QVERIFY(help.contains(QLatin1String("Options:")));
        const Names fromHelp = helpOptions(help);
        QVERIFY(fromHelp.contains(QStringLiteral("--listen")));
        compareNames(manOptions(QStringLiteral(OUTPOST_MAN_DIR "/outpost-server.1")), fromHelp);
    }

    void serverPageListsTheCommandsOfHelp()
    {
        const QString help = run(QStringLiteral(OUTPOST_SERVER_BIN), {QStringLiteral("--help")});
        const Names fromHelp = helpCommands(help);
        QVERIFY(fromHelp.contains(QStringLiteral("migrate")));
        compareNames(manCommands(QStringLiteral(OUTPOST_MAN_DIR "/outpost-server.1")), fromHelp);
    }

    void serverPageListsEverySetting()
    {
        Names settings {QStringLiteral("OUTPOST_CONFIG")}; // the file, not a setting in it
        for (const QString &name : Outpost::ConfigLoader::settingNames())
            settings.insert(QStringLiteral("OUTPOST_") + name);
        compareNames(manVariables(QStringLiteral(OUTPOST_MAN_DIR "/outpost-server.1")), settings);
    }

    void appPageListsTheOptionsOfBothHelps()
    {
#ifndef OUTPOST_APP_BIN
        QSKIP("the desktop app is not built (OUTPOST_BUILD_GUI=OFF)");
#else
        const QString help = run(QStringLiteral(OUTPOST_APP_BIN), {QStringLiteral("--help")});
        const QString headless = run(QStringLiteral(OUTPOST_APP_BIN),
            {QStringLiteral("--headless"), QStringLiteral("--help")});
        Names fromHelp = helpOptions(help);
        fromHelp.unite(helpOptions(headless));
        QVERIFY(fromHelp.contains(QStringLiteral("--headless")));
        QVERIFY(fromHelp.contains(QStringLiteral("--data-dir")));
        compareNames(manOptions(QStringLiteral(OUTPOST_MAN_DIR "/outpost.1")), fromHelp);
#endif
    }

    // outpostctl: OPTIONS lists the options of `--help` and of every command's `--help`;
    // COMMANDS names every command group of `--help`.
    void ctlPageListsEveryOptionAndCommand()
    {
        const QString help = run(QStringLiteral(OUTPOSTCTL_BIN), {QStringLiteral("--help")});
        QVERIFY(help.contains(QLatin1String("Commands:")));
        Names options = helpOptions(help);
        QStringList commands;
        for (const QString &line : helpBlock(help, QStringLiteral("Commands:"))) {
            // "  posts list      List posts": the lower-case words before the arguments.
            QStringList words;
            for (const QString &word : line.trimmed().split(QLatin1Char(' '))) {
                if (word.isEmpty() || !word.at(0).isLower())
                    break;
                words.append(word);
            }
            commands.append(words.join(QLatin1Char(' ')));
        }
        QVERIFY(commands.contains(QStringLiteral("files put")));
        for (const QString &command : std::as_const(commands)) {
            const QString commandHelp = run(QStringLiteral(OUTPOSTCTL_BIN),
                command.split(QLatin1Char(' ')) << QStringLiteral("--help"));
            QVERIFY2(commandHelp.contains(QLatin1String("Options:")), qPrintable(command));
            options.unite(helpOptions(commandHelp));
        }
        QVERIFY(options.contains(QStringLiteral("--resume")));
        const QString page = QStringLiteral(OUTPOST_MAN_DIR "/outpostctl.1");
        const Names groups = helpCommands(help);
        QVERIFY(groups.contains(QStringLiteral("api-keys")));
        QCOMPARE(sorted(Names(groups).subtract(manCommands(page))), QString());
        QCOMPARE(sorted(Names(manCommands(page)).subtract(groups)), QString());
        compareNames(manOptions(page), options);
    }

    void pageCarriesTheProjectVersion()
    {
        QFile file(QStringLiteral(OUTPOST_MAN_DIR "/outpost-server.1"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("\"Outpost " OUTPOST_VERSION "\""));
    }
};

QTEST_GUILESS_MAIN(TestManPages)
#include "tst_manpages.moc"
