import "server-only";
export { createUser } from "./create";
export { changeUserRole } from "./change-role";
export { setUserDisabled } from "./set-disabled";
export { deleteDemoUser } from "./delete-demo";
export { listUsers, type UserSummary } from "./list";
export { insertUserWithPassword, type NewUser, type InsertedUser } from "./insert";
export {
  changeRoleInput,
  createUserInput,
  minPasswordLength,
  setDisabledInput,
  userIdInput,
  userSummarySchema,
  type CreateUserInput,
} from "./schemas";
export { updateUser, updateUserInput, type UpdateUserInput } from "./update";
