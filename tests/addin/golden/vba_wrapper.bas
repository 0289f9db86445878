Function deal_profile_weights(start, term_years, Optional profile, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_profile_weights = XLPy.CallUDF("addin.functions", "deal_profile_weights", Array(start, term_years, profile, full_at, initial_rate, midpoint, steepness, power, weights, capacity), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_profile_weights = XLPy.CallUDF("addin.functions", "deal_profile_weights", Array(start, term_years, profile, full_at, initial_rate, midpoint, steepness, power, weights, capacity))
        Exit Function
    #End If
failed:
    deal_profile_weights = Err.Description
End Function

Function deal_schedule(value, start, term_years, Optional profile, Optional frequency, Optional fiscal_year_end, Optional realisation, Optional delay_quarters, Optional delay_mode, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_schedule = XLPy.CallUDF("addin.functions", "deal_schedule", Array(value, start, term_years, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_schedule = XLPy.CallUDF("addin.functions", "deal_schedule", Array(value, start, term_years, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity))
        Exit Function
    #End If
failed:
    deal_schedule = Err.Description
End Function

Function deal_straightline_gap(value, start, term_years, Optional profile, Optional frequency, Optional fiscal_year_end, Optional realisation, Optional delay_quarters, Optional delay_mode, Optional full_at, Optional initial_rate, Optional midpoint, Optional steepness, Optional power, Optional weights, Optional capacity, Optional base_revenue)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        deal_straightline_gap = XLPy.CallUDF("addin.functions", "deal_straightline_gap", Array(value, start, term_years, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity, base_revenue), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        deal_straightline_gap = XLPy.CallUDF("addin.functions", "deal_straightline_gap", Array(value, start, term_years, profile, frequency, fiscal_year_end, realisation, delay_quarters, delay_mode, full_at, initial_rate, midpoint, steepness, power, weights, capacity, base_revenue))
        Exit Function
    #End If
failed:
    deal_straightline_gap = Err.Description
End Function

