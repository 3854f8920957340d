export function DeviceDetailPage() {
  return null;
}
