import type { SessionFilter, SessionOrderField, SortDirection } from '../gql/graphql.js';

/** What the filter form holds, as typed. */
export interface FilterForm {
  title: string;
  ownerId: string;
  metadata: string;
  createdFrom: string;
  createdTo: string;
  updatedFrom: string;
  updatedTo: string;
  order: string;
}

export const EMPTY_FORM: FilterForm = { title: '', ownerId: '', metadata: '', createdFrom: '', createdTo: '', updatedFrom: '', updatedTo: '', order: 'UPDATED_AT DESC' };

const ORDERS: { value: string; label: string }[] = [
  { value: 'UPDATED_AT DESC', label: 'Last change, newest first' },
  { value: 'UPDATED_AT ASC', label: 'Last change, oldest first' },
  { value: 'CREATED_AT DESC', label: 'Created, newest first' },
  { value: 'CREATED_AT ASC', label: 'Created, oldest first' },
];

/** The sessions query's arguments, from the form: the dates are whole days of the reader's calendar. */
export interface Applied {
  filter: SessionFilter;
  orderBy: { field: SessionOrderField; direction: SortDirection };
}

const startOfDay = (date: string, plusDays = 0) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
};

/** "topic=rail, n=2": each value read as JSON when it is a JSON scalar (2, true, null), as text otherwise. */
export function parseMetadata(text: string): Record<string, unknown> | string {
  const criteria: Record<string, unknown> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0) return `"${part}" is not key=value`;
    const value = part.slice(at + 1).trim();
    let parsed: unknown = value;
    try {
      const json: unknown = JSON.parse(value);
      if (json === null || ['string', 'number', 'boolean'].includes(typeof json)) parsed = json;
    } catch {
      // plain text
    }
    criteria[part.slice(0, at).trim()] = parsed;
  }
  return criteria;
}

/** The arguments for the form, or the problem with its metadata field. */
export function applyForm(form: FilterForm): Applied | { problem: string } {
  const metadata = parseMetadata(form.metadata);
  if (typeof metadata === 'string') return { problem: metadata };
  const filter: SessionFilter = {};
  if (form.title.trim()) filter.titleContains = form.title.trim();
  if (form.ownerId.trim()) filter.ownerId = form.ownerId.trim();
  if (Object.keys(metadata).length) filter.metadata = metadata;
  if (form.createdFrom) filter.createdAfter = startOfDay(form.createdFrom);
  if (form.createdTo) filter.createdBefore = startOfDay(form.createdTo, 1);
  if (form.updatedFrom) filter.updatedAfter = startOfDay(form.updatedFrom);
  if (form.updatedTo) filter.updatedBefore = startOfDay(form.updatedTo, 1);
  const [field, direction] = form.order.split(' ') as [SessionOrderField, SortDirection];
  return { filter, orderBy: { field, direction } };
}

interface Row {
  title?: string | null;
  ownerId?: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** Whether a session (from a live event) belongs in the list the filter gives, as the server decides it. */
export function matches(row: Row, filter: SessionFilter): boolean {
  const within = (at: string, after?: string | null, before?: string | null) => (!after || at >= after) && (!before || at < before);
  const has = ([key, value]: [string, unknown]) => {
    const stored = row.metadata[key];
    return stored === value || (Array.isArray(stored) && stored.includes(value));
  };
  return (
    (!filter.titleContains || (row.title ?? '').toLowerCase().includes(filter.titleContains.toLowerCase())) &&
    (!filter.ownerId || row.ownerId === String(filter.ownerId)) &&
    Object.entries(filter.metadata ?? {}).every(has) &&
    within(new Date(row.createdAt).toISOString(), filter.createdAfter, filter.createdBefore) &&
    within(new Date(row.updatedAt).toISOString(), filter.updatedAfter, filter.updatedBefore)
  );
}

const DATE_FIELDS: { key: keyof FilterForm; label: string }[] = [
  { key: 'createdFrom', label: 'Created from' },
  { key: 'createdTo', label: 'Created until' },
  { key: 'updatedFrom', label: 'Changed from' },
  { key: 'updatedTo', label: 'Changed until' },
];

/** The filters beyond the title, folded away until wanted. */
export function MoreFilters({ form, problem, onChange }: { form: FilterForm; problem: string | null; onChange: (form: FilterForm) => void }) {
  const set = (key: keyof FilterForm) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) => onChange({ ...form, [key]: e.currentTarget.value });
  const active = Object.entries(form).filter(([k, v]) => k !== 'title' && k !== 'order' && v !== '').length;
  return (
    <details class="more-filters">
      <summary>More filters and order{active > 0 ? ` (${active} set)` : ''}</summary>
      <div class="field">
        <label for="filter-owner">Owner id</label>
        <input id="filter-owner" value={form.ownerId} onInput={set('ownerId')} />
      </div>
      <div class="field">
        <label for="filter-metadata">Metadata (key=value, …)</label>
        <input
          id="filter-metadata"
          value={form.metadata}
          placeholder="topic=rail, priority=2"
          onInput={set('metadata')}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'filter-metadata-problem' : undefined}
        />
        {problem && (
          <p id="filter-metadata-problem" class="problems">
            {problem}
          </p>
        )}
      </div>
      <div class="dates">
        {DATE_FIELDS.map(({ key, label }) => (
          <div class="field" key={key}>
            <label for={`filter-${key}`}>{label}</label>
            <input id={`filter-${key}`} type="date" value={form[key]} onInput={set(key)} />
          </div>
        ))}
      </div>
      <div class="field">
        <label for="filter-order">Order</label>
        <select id="filter-order" value={form.order} onChange={set('order')}>
          {ORDERS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <button type="button" class="secondary small" onClick={() => onChange({ ...EMPTY_FORM, title: form.title })}>
        Clear these filters
      </button>
    </details>
  );
}
