import { shownPath, type Problem } from './problems.js';

/**
 * The problems found at one field of a form, each with its path when it goes deeper than the
 * field, whose own path has `depth` parts (["input", "metadata"]: 2).
 */
export function ProblemList({ id, problems, depth }: { id: string; problems: Problem[]; depth: number }) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} class="problems">
      {problems.map((p) => (
        <li key={p.path.join('.') + p.message}>
          {p.path.length > depth && <code>{shownPath(p.path, 'input')}</code>} {p.message}
        </li>
      ))}
    </ul>
  );
}

/** The aria attributes of a field with problems: marked invalid, described by its ProblemList. */
export const describedBy = (id: string, problems: Problem[]) => (problems.length ? { 'aria-invalid': true, 'aria-describedby': id } : {});
