#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTextBrowser;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

// The preview beside the files tree: plain text, Markdown (rendered), JSON (pretty-printed)
// and images. Text is read only up to kTextBytes (a Range request) and says so when the file
// is longer; images up to kImageBytes. Other files are sniffed: a start without NUL bytes
// that decodes as UTF-8 is shown as text.
class FilePreview final : public QWidget
{
    Q_OBJECT

public:
    enum class Kind { None, Text, Markdown, Json, Image };
    static constexpr qint64 kTextBytes = qint64(64) * 1024;
    static constexpr qint64 kImageBytes = qint64(8) * 1024 * 1024;

    explicit FilePreview(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client) { m_client = client; }
    void showFile(const QString &path, const QString &contentType, qint64 size);
    // Nothing to show, with why.
    void showMessage(const QString &text);

    Kind kind() const { return m_kind; }
    QString path() const { return m_path; }
    QString note() const;
    QString shownText() const; // the text, Markdown source as rendered, or pretty JSON

    // What a file is, by its type and name.
    static Kind kindOf(const QString &path, const QString &contentType);

Q_SIGNALS:
    void shown();

private:
    void showContent(Kind kind, const QByteArray &content, qint64 size);
    void setNote(const QString &text);

    QPointer<Client::ApiClient> m_client;
    QString m_path;
    Kind m_kind = Kind::None;
    QLabel *m_note;
    QStackedWidget *m_pages;
    QLabel *m_message;
    QPlainTextEdit *m_text;
    QTextBrowser *m_markdown;
    QLabel *m_image;
};

} // namespace Outpost::App
