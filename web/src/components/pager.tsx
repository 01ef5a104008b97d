import { useState } from 'preact/hooks';

/** Cursor paging: the cursors of the pages walked so far, so "Previous" needs no backward cursor. */
export interface Pages {
  cursor: string | undefined;
  page: number;
  back: () => void;
  forward: (next: string) => void;
  restart: () => void;
}

export function usePages(): Pages {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    back: () => setCursors(cursors.slice(0, -1)),
    forward: (next) => setCursors([...cursors, next]),
    restart: () => setCursors([undefined]),
  };
}

export function Pager({ pages, next }: { pages: Pages; next: string | null | undefined }) {
  return (
    <div class="pager">
      <button type="button" disabled={pages.page < 2} onClick={pages.back}>
        ← Previous
      </button>
      <span class="muted">page {pages.page}</span>
      <button type="button" disabled={!next} onClick={() => next && pages.forward(next)}>
        Next →
      </button>
    </div>
  );
}
