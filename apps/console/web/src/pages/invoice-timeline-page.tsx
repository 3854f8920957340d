export function InvoiceTimelinePage() {
  return null;
}
