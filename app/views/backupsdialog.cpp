#include "backupsdialog.h"

#include "models/modelformat.h"
#include "viewsupport.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace Outpost::App {

namespace {

enum Column { Name, Size, Created };

} // namespace

BackupsDialog::BackupsDialog(Client::ApiClient *client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_intro(new QLabel(this))
    , m_table(new QTableWidget(0, 3, this))
    , m_status(new QLabel(this))
    , m_error(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_backUp(new QPushButton(QIcon(QStringLiteral(":/icons/new.svg")), tr("&Back up now"), this))
    , m_downloadButton(
          new QPushButton(QIcon(QStringLiteral(":/icons/download.svg")), tr("&Download…"), this))
    , m_refresh(new QPushButton(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Refresh"), this))
{
    setObjectName(QStringLiteral("backupsDialog"));
    setWindowTitle(tr("Backups"));
    resize(640, 420);

    m_intro->setWordWrap(true);
    m_intro->setText(tr("Backups are kept in the server's file store, under backups/. Each one "
                        "holds the database and the files stored on the server's disk; restore "
                        "one with \"outpost-server restore --input FILE\"."));

    m_table->setObjectName(QStringLiteral("backups"));
    m_table->setAccessibleName(tr("Backups"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Size"), tr("Created")});
    setupTable(m_table);
    m_table->horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(Size, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Created, QHeaderView::ResizeToContents);

    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::RichText);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral(
        "background: #fdecea; color: #8a1c12; border: 1px solid #f5c2bd; padding: 6px;"));
    m_error->hide();
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    m_progress->hide();

    m_backUp->setObjectName(QStringLiteral("backUpNow"));
    m_downloadButton->setObjectName(QStringLiteral("download"));
    m_refresh->setObjectName(QStringLiteral("refresh"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_backUp, QDialogButtonBox::ActionRole);
    buttons->addButton(m_downloadButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_refresh, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_backUp, &QPushButton::clicked, this, &BackupsDialog::startBackup);
    connect(m_downloadButton, &QPushButton::clicked, this, &BackupsDialog::chooseDownloadTarget);
    connect(m_refresh, &QPushButton::clicked, this, &BackupsDialog::refresh);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &BackupsDialog::updateButtons);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, &BackupsDialog::chooseDownloadTarget);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);
    updateButtons();
    refresh();
}

BackupsDialog::~BackupsDialog()
{
    // The partial file goes with the call (it is the call's child and never committed).
    if (m_download) {
        m_download->disconnect(this); // no answer to a dialog half destroyed
        m_download->abort();
    }
}

void BackupsDialog::refresh()
{
    if (!m_client)
        return;
    m_refresh->setEnabled(false);
    m_client->admin().backups().then(this, [this](const Client::ApiResult<BackupList> &list) {
        m_refresh->setEnabled(true);
        if (!list) {
            showList({});
            showProblem(list.error().status == 422 ? tr("This server cannot make backups.")
                                                   : tr("The backups could not be listed."),
                list.error().text());
            Q_EMIT listLoaded();
            return;
        }
        showList(list->items);
        Q_EMIT listLoaded();
    });
}

void BackupsDialog::showList(const QList<Backup> &backups)
{
    const QString selected = m_pending.isEmpty() ? selectedName() : m_pending;
    m_pending.clear();
    m_backups = backups;
    m_table->setRowCount(0);
    m_table->setRowCount(int(backups.size()));
    for (int row = 0; row < int(backups.size()); ++row) {
        const Backup &backup = backups.at(row);
        m_table->setItem(row, Name, new QTableWidgetItem(backup.name));
        auto *size = new QTableWidgetItem(displaySize(backup.sizeBytes));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, Size, size);
        m_table->setItem(row, Created, new QTableWidgetItem(displayTime(backup.createdAt)));
        if (backup.name == selected)
            m_table->selectRow(row);
    }
    if (m_table->selectedItems().isEmpty() && !backups.isEmpty())
        m_table->selectRow(0); // the newest
    updateButtons();
}

void BackupsDialog::startBackup()
{
    if (!m_client || isBackingUp())
        return;
    m_backingUp = true;
    showStatus(tr("Starting a backup…"));
    m_progress->setRange(0, 0); // busy
    m_progress->show();
    m_backUp->setEnabled(false);
    m_client->admin().startBackup().then(this, [this](const Client::ApiResult<BackupJob> &job) {
        if (!job) {
            m_backingUp = false;
            m_progress->hide();
            const QString heading = job.error().status == 422
                ? tr("This server cannot make backups.")
                : tr("The backup could not be started.");
            showProblem(heading, job.error().text());
            updateButtons();
            Q_EMIT backupFinished(false, statusText());
            return;
        }
        m_job = job->name;
        showStatus(tr("Backing up into %1…").arg(m_job));
        QTimer::singleShot(kPollMs, this, &BackupsDialog::poll);
    });
}

void BackupsDialog::poll()
{
    if (!m_client || m_job.isEmpty())
        return;
    m_client->admin().backupStatus(m_job).then(
        this, [this](const Client::ApiResult<BackupJob> &job) {
            if (job && !job->isFinished()) {
                QTimer::singleShot(kPollMs, this, &BackupsDialog::poll);
                return;
            }
            m_job.clear();
            m_backingUp = false;
            m_progress->hide();
            if (!job) {
                showProblem(tr("The state of the backup could not be read."), job.error().text());
            } else if (job->state == BackupJob::State::Failed) {
                showProblem(tr("The backup failed."), job->detail);
            } else {
                m_pending = job->name;
                showStatus(tr("Backup %1 made (%2).").arg(job->name, displaySize(job->sizeBytes)));
                refresh();
            }
            updateButtons();
            Q_EMIT backupFinished(job && job->state == BackupJob::State::Done, statusText());
        });
}

void BackupsDialog::chooseDownloadTarget()
{
    const QString name = selectedName();
    if (name.isEmpty() || isDownloading())
        return;
    const QString target = QFileDialog::getSaveFileName(
        this, tr("Save the backup as"), QDir::home().filePath(name), tr("Backups (*.tar.gz)"));
    if (!target.isEmpty())
        download(name, target);
}

void BackupsDialog::download(const QString &name, const QString &localPath)
{
    if (!m_client || isDownloading())
        return;
    m_error->hide();
    // Written next to the target and renamed over it only when the whole archive is there.
    auto *file = new QSaveFile(localPath);
    if (!file->open(QIODevice::WriteOnly)) {
        showProblem(tr("The backup could not be saved."),
            tr("Cannot write %1: %2")
                .arg(QDir::toNativeSeparators(localPath), file->errorString()));
        delete file;
        Q_EMIT downloadFinished(false, statusText());
        return;
    }
    showStatus(tr("Downloading %1…").arg(name));
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->show();
    const auto reply = m_client->admin().downloadBackup(name, file);
    m_download = reply.call();
    file->setParent(reply.call()); // written until the call is over, discarded with it
    connect(reply.call(), &Client::ApiCall::downloadProgress, m_progress,
        [this](qint64 received, qint64 total) {
            if (total > 0)
                m_progress->setValue(int(received * 100 / total));
        });
    updateButtons();
    reply.then(this, [this, file, name, localPath](const Client::ApiResult<void> &done) {
        m_download = nullptr;
        m_progress->hide();
        const QString where = QDir::toNativeSeparators(localPath);
        if (!done) {
            showProblem(tr("The backup could not be downloaded."), done.error().text());
        } else if (!file->commit()) {
            showProblem(tr("The backup could not be saved."),
                tr("Cannot write %1: %2").arg(where, file->errorString()));
        } else {
            showStatus(tr("Saved %1 as %2.").arg(name, where));
        }
        updateButtons();
        Q_EMIT downloadFinished(m_error->isHidden(), statusText());
    });
}

void BackupsDialog::showStatus(const QString &text)
{
    m_error->hide();
    m_status->setText(text);
    m_message = text;
}

void BackupsDialog::showProblem(const QString &heading, const QString &detail)
{
    m_status->clear();
    m_message = heading + QLatin1Char('\n') + detail;
    m_error->setText(
        QStringLiteral("<b>%1</b><br>%2").arg(heading.toHtmlEscaped(), detail.toHtmlEscaped()));
    m_error->show();
}

void BackupsDialog::updateButtons()
{
    m_backUp->setEnabled(m_client && !isBackingUp());
    m_downloadButton->setEnabled(m_client && !isDownloading() && !selectedName().isEmpty());
}

QString BackupsDialog::selectedName() const
{
    const QList<QTableWidgetItem *> selected = m_table->selectedItems();
    if (selected.isEmpty())
        return {};
    return m_table->item(selected.first()->row(), Name)->text();
}

} // namespace Outpost::App
