export const trivialActivities = {
  async echo(input: string): Promise<string> {
    return input;
  },
};

export type TrivialActivities = typeof trivialActivities;
