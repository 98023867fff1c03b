#pragma once

#include "client/apiclient.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QUrlQuery>

namespace Outpost::App {

// A table over one paginated list endpoint ({"items","total","limit","skip"}): the first page
// on refresh(), the next ones through fetchMore() as the view scrolls, server-side search and
// sorting, and single rows reloaded in place when an event names them.
class PagedTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kPageSize = 50;
    enum Roles { IdRole = Qt::UserRole + 1, ObjectRole };

    explicit PagedTableModel(QObject *parent = nullptr);

    void setClient(Client::ApiClient *client);
    Client::ApiClient *client() const { return m_client; }
    void setSearch(const QString &search);
    QString search() const { return m_search; }

    // Reloads from the first page.
    void refresh();
    // Reloads the row with this id if it is shown (an "updated" event).
    void refreshRow(qint64 id);
    // Drops the row with this id if it is shown (a "deleted" event).
    void removeId(qint64 id);

    QJsonObject objectAt(int row) const { return m_rows.value(row); }
    qint64 idAt(int row) const;
    int rowOfId(qint64 id) const;
    qint64 total() const { return m_total; }
    bool isLoading() const { return m_loading; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order) override;

Q_SIGNALS:
    void errorOccurred(const QString &message);
    // The server has no such list (404): an older server, or a feature it does not offer.
    void endpointMissing();
    void loaded();

protected:
    virtual QString path() const = 0;
    virtual QStringList headers() const = 0;
    virtual QVariant cell(const QJsonObject &object, int column, int role) const = 0;
    // The server's sort value for a column, empty when the server cannot sort by it.
    virtual QString sortValue(int column, Qt::SortOrder order) const;
    virtual void addQuery(QUrlQuery &query) const;
    // False while the model lacks what its path needs (a run list without a pipeline).
    virtual bool isReady() const { return true; }

private:
    void load(qint64 skip);

    QPointer<Client::ApiClient> m_client;
    QList<QJsonObject> m_rows;
    qint64 m_total = 0;
    QString m_search;
    QString m_sort;
    bool m_loading = false;
    quint64 m_generation = 0; // answers to an older refresh are dropped
};

} // namespace Outpost::App
