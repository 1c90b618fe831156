await FlexMeasuresBench.main()
