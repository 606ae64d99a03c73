"use server";

import { getDb } from "@/db/client";
import { defineAction } from "./define-action";
import {
  changeRoleInput,
  changeUserRole,
  createUser,
  createUserInput,
  deleteDemoUser,
  setDisabledInput,
  setUserDisabled,
  userIdInput,
} from "@/lib/users";

export const createUserAction = defineAction({
  name: "users.create",
  permission: "users.manage",
  input: createUserInput,
  handler: async (input, principal) => createUser(await getDb(), principal, input),
});

export const changeUserRoleAction = defineAction({
  name: "users.changeRole",
  permission: "users.manage",
  input: changeRoleInput,
  handler: async ({ userId, role }, principal) => changeUserRole(await getDb(), principal, userId, role),
});

export const setUserDisabledAction = defineAction({
  name: "users.setDisabled",
  permission: "users.manage",
  input: setDisabledInput,
  handler: async ({ userId, disabled }, principal) => setUserDisabled(await getDb(), principal, userId, disabled),
});

export const deleteDemoUserAction = defineAction({
  name: "users.deleteDemo",
  permission: "users.manage",
  input: userIdInput,
  handler: async ({ userId }, principal) => deleteDemoUser(await getDb(), principal, userId),
});
