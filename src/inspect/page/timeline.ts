// A list that renders only the rows in view: thousands of inputs scroll as smoothly as ten.

/** Row height (px); the page's CSS gives timeline rows the same. */
export const ROW_HEIGHT = 24;
const OVERSCAN = 8;

/** A virtual list in a scrolling container. */
export class VirtualList {
  private count = 0;
  private readonly spacer: HTMLElement;
  private readonly rows = new Set<HTMLElement>();

  constructor(
    private readonly container: HTMLElement,
    private readonly renderRow: (index: number) => HTMLElement,
  ) {
    this.spacer = container.querySelector('.spacer') as HTMLElement;
    container.addEventListener('scroll', () => this.render(), { passive: true });
    new ResizeObserver(() => this.render()).observe(container);
  }

  /** Sets the number of rows and redraws what is in view. */
  update(count: number): void {
    this.count = count;
    this.spacer.style.height = `${count * ROW_HEIGHT}px`;
    this.render();
  }

  /** Scrolls so row `index` is in view (centred when it was out of view). */
  reveal(index: number): void {
    const top = index * ROW_HEIGHT;
    const { scrollTop, clientHeight } = this.container;
    if (top >= scrollTop && top + ROW_HEIGHT <= scrollTop + clientHeight) return;
    this.container.scrollTop = Math.max(0, top - clientHeight / 2);
    this.render();
  }

  /** Redraws the rows in view. */
  render(): void {
    const { scrollTop, clientHeight } = this.container;
    const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      this.count,
      Math.ceil((scrollTop + clientHeight) / ROW_HEIGHT) + OVERSCAN,
    );
    for (const row of this.rows) row.remove();
    this.rows.clear();
    const fragment = document.createDocumentFragment();
    for (let index = first; index < last; index += 1) {
      const row = this.renderRow(index);
      row.style.top = `${index * ROW_HEIGHT}px`;
      this.rows.add(row);
      fragment.append(row);
    }
    this.container.append(fragment);
  }
}
