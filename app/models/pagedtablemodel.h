#pragma once

#include "client/apiclient.h"
#include "models/page.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

namespace Outpost::App {

// A table over one paginated list call ({"items","total","limit","skip"}): the first page on
// refresh(), the next ones through fetchMore() as the view scrolls, server-side search, and
// single rows reloaded in place when an event names them. The rows themselves are typed and
// live in TypedTableModel<T>; this part is what does not depend on their type.
class PagedTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kPageSize = 50;
    enum Roles { IdRole = Qt::UserRole + 1 };

    explicit PagedTableModel(QObject *parent = nullptr);

    void setClient(Client::ApiClient *client);
    Client::ApiClient *client() const { return m_client; }
    void setSearch(const QString &search);
    QString search() const { return m_search; }

    // Reloads from the first page.
    void refresh();
    // Reloads the row with this id if it is shown (an "updated" event); a row the server no
    // longer has is dropped.
    void refreshRow(qint64 id);
    // Drops the row with this id if it is shown (a "deleted" event).
    void removeId(qint64 id);

    // 0 for a row that is not there.
    virtual qint64 idAt(int row) const = 0;
    int rowOfId(qint64 id) const;
    qint64 total() const { return m_total; }
    bool isLoading() const { return m_loading; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void errorOccurred(const QString &message);
    // The server has no such list (404): an older server, or a feature it does not offer.
    void endpointMissing();
    void loaded();

protected:
    virtual QStringList headers() const = 0;
    // False while the model lacks what its call needs (a run list without a pipeline).
    virtual bool isReady() const { return true; }

    // The typed side: rows held, and the calls that fill them.
    virtual int itemCount() const = 0;
    virtual void clearItems() = 0;
    virtual void removeItemAt(int row) = 0;
    virtual void requestPage(qint64 skip, quint64 generation) = 0;
    // Loads one item for refreshRow(); nothing where the API has no call for a single one.
    virtual void loadItem(qint64 id) { Q_UNUSED(id); }

    // For answers to requestPage(): whether one for `generation` still counts (a refresh
    // since drops it), ending the load either way.
    bool takeAnswer(quint64 generation);
    void setTotal(qint64 total) { m_total = total; }
    // A failed page: endpointMissing() for a 404, errorOccurred() otherwise.
    void pageFailed(const Client::ApiError &error);

private:
    void load(qint64 skip);

    QPointer<Client::ApiClient> m_client;
    qint64 m_total = 0;
    QString m_search;
    bool m_loading = false;
    quint64 m_generation = 0; // answers to an older refresh are dropped
};

// The rows of a PagedTableModel as shared models (Post, User, ...), with an `id` member each.
template<typename T> class TypedTableModel : public PagedTableModel
{
public:
    using PagedTableModel::PagedTableModel;

    // Null for a row that is not there.
    const T *itemAt(int row) const
    {
        return row >= 0 && row < m_items.size() ? &m_items.at(row) : nullptr;
    }
    qint64 idAt(int row) const override
    {
        const T *item = itemAt(row);
        return item ? item->id : 0;
    }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const T &item = m_items.at(index.row());
        if (role == IdRole)
            return item.id;
        return cell(item, index.column(), role);
    }

protected:
    virtual Client::Reply<Page<T>> fetchPage(const PageRequest &page) = 0;
    virtual QVariant cell(const T &item, int column, int role) const = 0;

    // For loadItem(): the item's answer; a NotFound one drops its row.
    void itemLoaded(qint64 id, const Client::ApiResult<T> &result)
    {
        const int row = rowOfId(id);
        if (row < 0)
            return;
        if (!result) {
            if (result.error().code == ErrorCode::NotFound)
                removeId(id);
            return;
        }
        m_items[row] = *result;
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    }

    int itemCount() const override { return int(m_items.size()); }
    void clearItems() override { m_items.clear(); }
    void removeItemAt(int row) override { m_items.removeAt(row); }

    void requestPage(qint64 skip, quint64 generation) override
    {
        PageRequest page;
        page.limit = kPageSize;
        page.skip = skip;
        fetchPage(page).then(
            this, [this, generation, skip](const Client::ApiResult<Page<T>> &result) {
                if (!takeAnswer(generation))
                    return;
                if (!result) {
                    pageFailed(result.error());
                    return;
                }
                setTotal(result->total);
                if (skip == m_items.size())
                    append(result->items);
                Q_EMIT loaded();
            });
    }

private:
    void append(const QList<T> &items)
    {
        if (items.isEmpty()) {
            setTotal(m_items.size()); // nothing more: never ask again
            return;
        }
        beginInsertRows({}, int(m_items.size()), int(m_items.size() + items.size() - 1));
        m_items.append(items);
        endInsertRows();
    }

    QList<T> m_items;
};

} // namespace Outpost::App
