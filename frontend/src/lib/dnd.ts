/** Drag-and-drop payload types shared by the palette, the data tree, the forms and the canvas. */
export const NODE_DRAG_TYPE = "application/flowlane-node";
export const EXPRESSION_DRAG_TYPE = "application/flowlane-expression";
