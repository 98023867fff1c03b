#pragma once

#include "client/apiclient.h"

#include <QString>
#include <QWidget>

namespace Outpost::App {

// One page of the main window. The window hands every view the connection's API client,
// forwards live events and the common shortcuts (Ctrl+F, Ctrl+N, F5, Del).
class View : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    virtual void setClient(Client::ApiClient *client) = 0;
    virtual void refresh() = 0;
    // {"type": "post.updated", "id": 7} from /v1/events.
    virtual void handleEvent(const QString &type, qint64 id)
    {
        Q_UNUSED(type);
        Q_UNUSED(id);
    }
    virtual void focusSearch() { }
    virtual void createNew() { }
    virtual void deleteSelected() { }

Q_SIGNALS:
    // A readable failure: the problem's title and detail.
    void errorOccurred(const QString &message);
    void statusMessage(const QString &message);
};

} // namespace Outpost::App
