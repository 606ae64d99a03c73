export {
  schedulingOverview,
  serviceSeries,
  runWaitPosition,
  runWaitPositions,
  describeWaitPosition,
  type SchedulingKeyView,
  type ServiceBucket,
  type WaitPosition,
} from "./queries";
export { setKeyWeight, setRunPriority, fairShareKeyParam, keyWeightInput, runPriorityInput } from "./admin";
export { turnCost, PRIORITY_MIN, PRIORITY_MAX, FAIR_SHARE_KEY_MAX } from "./policy";
