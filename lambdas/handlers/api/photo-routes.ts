/** Photos of work orders: upload forms and downloads. */
export const photoRoutes = [] as const;
