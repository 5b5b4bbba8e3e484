using LightsOn.DeviceSim;

return SimulatorCommand.Create().Parse(args).Invoke();
