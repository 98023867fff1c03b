#include "pagedtablemodel.h"

namespace Outpost::App {

PagedTableModel::PagedTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void PagedTableModel::setClient(Client::ApiClient *client)
{
    m_client = client;
    refresh();
}

void PagedTableModel::setSearch(const QString &search)
{
    if (search == m_search)
        return;
    m_search = search;
    refresh();
}

int PagedTableModel::rowOfId(qint64 id) const
{
    for (int row = 0; row < itemCount(); ++row) {
        if (idAt(row) == id)
            return row;
    }
    return -1;
}

void PagedTableModel::refresh()
{
    ++m_generation;
    m_loading = false;
    if (itemCount() > 0) {
        beginResetModel();
        clearItems();
        m_total = 0;
        endResetModel();
    }
    m_total = 0;
    if (m_client && m_client->isSignedIn() && isReady())
        load(0);
}

void PagedTableModel::load(qint64 skip)
{
    if (!m_client || m_loading)
        return;
    m_loading = true;
    requestPage(skip, m_generation);
}

bool PagedTableModel::takeAnswer(quint64 generation)
{
    if (generation != m_generation)
        return false;
    m_loading = false;
    return true;
}

void PagedTableModel::pageFailed(const Client::ApiError &error)
{
    if (error.code == ErrorCode::NotFound) {
        Q_EMIT endpointMissing();
        return;
    }
    Q_EMIT errorOccurred(error.text());
}

void PagedTableModel::refreshRow(qint64 id)
{
    if (m_client && rowOfId(id) >= 0)
        loadItem(id);
}

void PagedTableModel::removeId(qint64 id)
{
    const int row = rowOfId(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    removeItemAt(row);
    --m_total;
    endRemoveRows();
}

int PagedTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : itemCount();
}

int PagedTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(headers().size());
}

QVariant PagedTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return headers().value(section);
    return {};
}

bool PagedTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_client && !m_loading && itemCount() < m_total;
}

void PagedTableModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        load(itemCount());
}

} // namespace Outpost::App
