export function ReconciliationsPage() {
  return null;
}
