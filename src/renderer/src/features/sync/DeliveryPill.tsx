import { describeDelivery, type DeliveryRecord, type TaskStatus } from '../../../../shared/model';

/**
 * A task's delivery state as a pill (queue row, task header): the words come from the shared
 * `describeDelivery`, the same the status bar and the sync dialog use. Open tasks with nothing
 * on the way show nothing.
 */
export function DeliveryPill({ record, status }: { record: DeliveryRecord; status: TaskStatus }) {
  const d = describeDelivery(record, status);
  if (d.state === 'open') return null;
  return (
    <span
      className={`pill delivery delivery-${d.tone}`}
      data-testid="delivery-state"
      data-state={d.state}
      title={d.detail}
    >
      {d.label}
      <span className="visually-hidden">: {d.detail}</span>
    </span>
  );
}
