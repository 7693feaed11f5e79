/**
 * Receipts (小票): pure rendering of a ReceiptView, no Nest and no database. Orders build the view
 * and call these; the layout rules are in README.md.
 */
export { renderEscPos } from './domain/escpos';
export { renderReceiptHtml } from './domain/receipt-html';
export { decodeEscPos, type DecodedLine, type DecodedReceipt, type EscPosCommand } from './domain/escpos-decoder';
export { PAPER_COLUMNS, type PaperWidth, type ReceiptDiscount, type ReceiptLine, type ReceiptView } from './domain/receipt-view';
