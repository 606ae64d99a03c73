import { BoardSkeleton } from "@/components/runs/board-skeleton";

export default function Loading() {
  return <BoardSkeleton />;
}
