/**
 * Subscriptions to seed the emulator with (`emulator.loadSeed({ ...emulator.exportSeed(), subscriptions })`):
 * `count` rows per plan and status, in the order given, each with its own customer.
 */
export function subscriptionRows(groups: Array<[plan: string, status: string, count: number]>): Array<{ customerId: string; plan: string; status: string }> {
  return groups.flatMap(([plan, status, count]) => Array.from({ length: count }, (_, index) => ({ customerId: `${plan}-${status}-${index}`, plan, status })));
}
