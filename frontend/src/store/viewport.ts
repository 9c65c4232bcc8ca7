/** What panels may ask of the canvas (centre on a node, fit the view) without importing it. */

export interface ViewportControls {
  focusNode(id: string): void;
  /** Pan (keeping the zoom) so the node is in view, when it is not. */
  reveal(id: string): void;
  fitView(): void;
  zoom(direction: 1 | -1): void;
  /** The flow position at the centre of the visible canvas. */
  center(): { x: number; y: number };
}

let controls: ViewportControls | null = null;

export function registerViewport(next: ViewportControls | null): void {
  controls = next;
}

export function viewport(): ViewportControls | null {
  return controls;
}
